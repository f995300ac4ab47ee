import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { fail, pass, skip } from '../judge.js'
import { requestsOf } from '../judge-oauth.js'
import { answerProblem, signedInProblem } from '../judge-misbehaving.js'
import { injectedCode } from '../scenarios/sign-in-attacks.js'

export default defineCase({
  id: 'oauth-callback-refuses-injected-code',
  description:
    "Browser A's callback carrying A's state but a code issued to browser B signs nobody in, and Whop refuses the code (PKCE binds it to B's start)",
  source: 'RFC 9700 §4.5 (authorization code injection), §4.5.3 (PKCE); FAPI 2.0 Security Profile §5.3.2.2; reference §6 item 6 [I]',
  part: 'oauth',
  // Legacy flows have no PKCE at Whop: there an app cannot tell another browser's code from its own.
  flows: ['current-pkce'],
  scenario: injectedCode,
  control: normalSignIn,
  verdict: ({ story, injected, exchanges }, { oauth }) => {
    if (injected === null) return skip(`browser B's sign-in produced no code: ${story.callback.problem ?? 'no redirect'}`)
    if (story.landing === null)
      return skip(`browser A's sign-in never came back to the callback: ${story.callback.problem ?? 'no redirect'}`)
    const expected = "browser B's code refused: no token for it, nobody signed in, the callback answered below 500"
    const evidence = [...exchanges, ...requestsOf(story)]
    const accepted = exchanges.find((e) => e.status === 200)
    if (accepted !== undefined)
      return fail(
        expected,
        `Whop accepted browser B's code from browser A's callback: the app sent no code_verifier bound to A's start`,
        evidence,
      )
    const problem = answerProblem('the callback', story.landing) ?? signedInProblem(story, oauth!)
    return problem === null ? pass : fail(expected, problem, evidence)
  },
})
