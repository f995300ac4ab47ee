import { defineCase } from '../case.js'
import { fail, pass } from '../judge.js'
import { authorizeProblems, describeStart } from '../judge-oauth.js'
import { starts } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-start-redirects-to-authorize',
  description:
    "Sign-in start redirects to the flow's authorize page with client_id, the app's registered redirect_uri and response_type=code",
  source: 'reference §2.2 Authorize [D D-OAUTH], §2.3 [D S2, OLD oauth/index.ts], §6 item 4 [D S2, D-OAUTH]',
  part: 'oauth',
  scenario: starts,
  verdict: ([first], { oauth }) => {
    const { paths, clientId, redirectUri, scope, mockUrl } = oauth!
    const expected = `a redirect to ${mockUrl}${paths.authorize[0]} with client_id=${clientId}, redirect_uri=${redirectUri}, response_type=code${scope.length > 0 ? `, scope with ${scope.join(' ')}` : ''}`
    if (first!.authorize === null) return fail(expected, `the start ${describeStart(first!)}`)
    const problems = authorizeProblems(first!.authorize, oauth!)
    return problems.length === 0 ? pass : fail(expected, `${problems.join('; ')} (${first!.authorize.href})`)
  },
})
