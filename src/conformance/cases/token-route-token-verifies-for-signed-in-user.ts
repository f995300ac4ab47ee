import { defineCase } from '../case.js'
import { describeCall, fail, pass } from '../judge.js'
import { signedInCaller } from '../scenarios/token-route.js'

export default defineCase({
  id: 'token-route-token-verifies-for-signed-in-user',
  description: "Returns a token that verifies (ES256) against the mock's JWKS and names the signed-in caller's Whop user",
  source:
    'reference §3 (v1 token: signed JWT [D S3]; mock signs with the key at /.well-known/jwks.json [I]); user from your session [D S0]',
  part: 'token-route',
  scenario: signedInCaller,
  verdict: (call, { tokenRoute }) => {
    const user = tokenRoute!.userId
    if (call.token === null || call.check === null) return fail(`a token for ${user}`, describeCall(call), call.mints)
    if (!call.check.valid) return fail(`a token that verifies at the mock's clock`, call.check.problem!, call.mints)
    const { sub, user_id } = call.check.claims!
    return sub === user || user_id === user
      ? pass
      : fail(`sub or user_id ${user}`, `the token is for ${String(user_id ?? sub)}`, call.mints)
  },
})
