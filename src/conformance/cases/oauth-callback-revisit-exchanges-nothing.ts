import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { fail, pass, skip } from '../judge.js'
import { answerProblem } from '../judge-misbehaving.js'
import { revisitedCallback } from '../scenarios/sign-in-attacks.js'

export default defineCase({
  id: 'oauth-callback-revisit-exchanges-nothing',
  description:
    'The same browser visiting its callback URL again after signing in (back button, reload) makes no second token request, and gets an answer below 500',
  source:
    "RFC 9700 §4.7.1 (state is one-time, bound to the browser's session); RFC 6749 §10.12; FAPI 2.0 client tests (reused state); reference §6 items 1-2 [D S2, D-OAUTH]",
  part: 'oauth',
  scenario: revisitedCallback,
  control: normalSignIn,
  verdict: ({ first, again, exchanges }) => {
    if (again === null) return skip(`the sign-in never came back to the callback: ${first.callback.problem ?? 'no redirect'}`)
    const expected = 'no token request on the second visit (its state was spent), an answer below 500'
    if (exchanges.length > 0)
      return fail(
        expected,
        `the app sent the code to Whop again (${exchanges.length} token request${exchanges.length === 1 ? '' : 's'})`,
        exchanges,
      )
    const problem = answerProblem('the second visit', again)
    return problem === null ? pass : fail(expected, problem, first.exchanges)
  },
})
