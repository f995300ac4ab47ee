import { defineCase } from '../case.js'
import { fail, pass } from '../judge.js'
import { exchangeProblem, expectedExchange, unreturned } from '../judge-oauth.js'
import { approvedSignIn } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-callback-authenticates-exchange',
  description:
    "The code exchange goes to the flow's token endpoint with the same redirect_uri and the app's own client authentication (its secret, or PKCE alone for a public app)",
  source: 'reference §2.2 Token [D D-OAUTH; T1, T2]; §2.4 [D OLD oauth/index.ts]; §6 items 4-6 [D OLD, D-OAUTH; T1]',
  part: 'oauth',
  scenario: approvedSignIn,
  verdict: (story, { oauth }) => {
    const entry = story.exchanges[0]
    if (entry === undefined)
      return unreturned(story) ?? fail(expectedExchange(oauth!), 'the callback made no token request carrying the code')
    const problem = exchangeProblem(entry, oauth!)
    return problem === null ? pass : fail(expectedExchange(oauth!), problem, [entry])
  },
})
