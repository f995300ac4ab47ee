import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { fail, pass } from '../judge.js'
import { requestsOf } from '../judge-oauth.js'
import { foreignReturnTo } from '../scenarios/sign-in-attacks.js'

export default defineCase({
  id: 'oauth-start-refuses-open-redirect',
  description:
    'A sign-in started with next/returnTo/redirect (oauth.returnToParams) naming another origin never sends the browser outside the app (or Whop)',
  source: 'RFC 9700 §4.11.1 (client as open redirector); OWASP Unvalidated Redirects; a community Next.js template follows any next= [I]',
  part: 'oauth',
  scenario: foreignReturnTo,
  control: normalSignIn,
  verdict: (stories) => {
    const exit = stories.flatMap(({ target, story, exits }) => exits.map(({ hop, to }) => ({ target, story, hop, to })))[0]
    if (exit === undefined) return pass
    return fail(
      `every redirect stays in the app (or goes to Whop) when the start names ${exit.target}`,
      `${exit.hop.method} ${new URL(exit.hop.url).pathname} answered ${exit.hop.status}, sending the browser to ${exit.to.href}`,
      requestsOf(exit.story),
    )
  },
})
