import { maskSecret } from '../../redact.js'
import { defineCase } from '../case.js'
import { describeAnswer, eachMint, fail, pass } from '../judge.js'
import { signedInCaller } from '../scenarios/token-route.js'

export default defineCase({
  id: 'token-route-mints-server-side-with-bearer-key',
  description: 'Mints on the server: POST /api/v1/access_tokens with Authorization: Bearer <API key>, then answers 2xx with the token',
  source: 'reference §2.1 [D S3]; "Your server exchanges your Whop API key for a short-lived user token" [D S0]',
  part: 'token-route',
  scenario: signedInCaller,
  verdict: (call, { apiKey }) => {
    const bearer = maskSecret(`Bearer ${apiKey}`)
    const sent = eachMint(call, `the mint sent with Authorization: ${bearer}`, (_, e) =>
      e.headers.authorization === bearer ? null : `the mint carried Authorization: ${e.headers.authorization ?? '(none)'}`,
    )
    if (sent.status !== 'pass') return sent
    return call.token !== null ? pass : fail('a 2xx answer carrying the minted token', `the app ${describeAnswer(call.answer)}`, call.mints)
  },
})
