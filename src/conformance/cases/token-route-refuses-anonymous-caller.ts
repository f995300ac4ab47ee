import { defineCase } from '../case.js'
import { normalMint } from '../controls.js'
import { describeAnswer, fail, pass } from '../judge.js'
import { anonymousCaller } from '../scenarios/token-route.js'

export default defineCase({
  id: 'token-route-refuses-anonymous-caller',
  description: 'Mints nothing for a caller who is not signed in to the app, and hands out no token',
  source: 'reference §2.1; "mint a Whop token for whichever user is currently signed in" [D S0]',
  part: 'token-route',
  scenario: anonymousCaller,
  control: normalMint,
  verdict: (call) => {
    if (call.token !== null) return fail('no token for an anonymous caller', `the app ${describeAnswer(call.answer)}`, call.mints)
    return call.mints.length === 0
      ? pass
      : fail('no mint for an anonymous caller', `the app sent ${call.mints.length} POST /api/v1/access_tokens`, call.mints)
  },
})
