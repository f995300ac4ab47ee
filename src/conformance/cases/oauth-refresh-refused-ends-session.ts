import { defineCase } from '../case.js'
import { fail, pass, skip } from '../judge.js'
import { describeProfile, notApplicableWithoutTokens } from '../judge-oauth.js'
import { answerProblem } from '../judge-misbehaving.js'
import { refreshes, variantsWhere } from '../../eras.js'
import { normalSignIn } from '../controls.js'
import { refusedRefresh } from '../scenarios/sign-in-attacks.js'

/** Refresh requests one profile visit may make before it counts as a loop: one, and one retry. */
const MAX_REFRESHES_PER_VISIT = 2

export default defineCase({
  id: 'oauth-refresh-refused-ends-session',
  description: `When Whop refuses the refresh with invalid_grant, profilePath answers below 500 and signs the browser out (or re-authenticates), with at most ${MAX_REFRESHES_PER_VISIT} refresh requests per visit`,
  source:
    'reference §6 item 10: clients drop the session on 401 or invalid_grant [D]; RFC 6749 §5.2; OIDF oidcc-client-test-refresh-token (RP refresh handling)',
  part: 'oauth',
  flows: variantsWhere(refreshes),
  scenario: refusedRefresh,
  control: normalSignIn,
  verdict: ({ visits }, { oauth }) => {
    const notApplicable = notApplicableWithoutTokens(oauth!)
    if (notApplicable !== null) return notApplicable
    if (visits === null) return skip('the sign-in did not leave a working session (see oauth-signs-in-and-reads-user)')
    const expected = `each visit of ${oauth!.profilePath}: below 500, not signed in, at most ${MAX_REFRESHES_PER_VISIT} refresh requests`
    for (const [i, visit] of visits.entries()) {
      const evidence = [...visit.refreshes, ...visit.reads].sort((a, b) => a.id - b.id)
      const what = `visit ${i + 1} after the refusal`
      const problem =
        answerProblem(what, visit.answer) ??
        (visit.refreshes.length > MAX_REFRESHES_PER_VISIT ? `${what} sent ${visit.refreshes.length} refresh requests` : null) ??
        (visit.signedIn ? `${what}: the browser is still signed in: ${describeProfile(visit, oauth!)}` : null)
      if (problem !== null) return fail(expected, problem, evidence)
    }
    return pass
  },
})
