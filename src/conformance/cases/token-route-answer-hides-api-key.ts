import { defineCase } from '../case.js'
import { normalMint } from '../controls.js'
import { fail, pass, whereIn } from '../judge.js'
import { signedInCaller } from '../scenarios/token-route.js'

export default defineCase({
  id: 'token-route-answer-hides-api-key',
  description: 'Never hands the API key to the browser: the token answer carries it in no header, cookie or body',
  source: 'API key: "Treat it like a password and keep it on your server only" [D S0, S1]',
  part: 'token-route',
  scenario: signedInCaller,
  control: normalMint,
  verdict: (call, { apiKey }) => {
    const where = whereIn(call.answer, apiKey)
    return where === null
      ? pass
      : fail('no trace of the API key in the answer', `the ${where} of the answer carries the full API key`, call.mints)
  },
})
