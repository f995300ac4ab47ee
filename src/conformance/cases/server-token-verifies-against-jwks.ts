import { defineCase } from '../case.js'
import { describeServerAnswer, fail, pass } from '../judge.js'
import { mintWithKey } from '../scenarios/server.js'

export default defineCase({
  id: 'server-token-verifies-against-jwks',
  description: "The minted token verifies (ES256) against the server's /.well-known/jwks.json and names the user it was minted for",
  source:
    'reference §3: v1 token is a signed JWT [D S3]; JWKS at /.well-known/jwks.json [D NEW:src/lib/verify-user-token.ts]; one ES256 key signs all [I]',
  part: 'server',
  scenario: mintWithKey,
  verdict: ({ answer, check }, { server }) => {
    if (check === null) return fail('a minted token to verify', describeServerAnswer(answer))
    if (!check.valid) return fail('a token that verifies against the JWKS', check.problem!)
    const { sub, user_id } = check.claims!
    return sub === server!.userId || user_id === server!.userId
      ? pass
      : fail(`sub or user_id ${server!.userId}`, `the token names ${String(user_id ?? sub)}`)
  },
})
