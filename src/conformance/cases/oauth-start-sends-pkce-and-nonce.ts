import { defineCase } from '../case.js'
import { allOf, fail, pass } from '../judge.js'
import { describeStart, pkceProblem } from '../judge-oauth.js'
import { variantsWhere } from '../../eras.js'
import { starts } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-start-sends-pkce-and-nonce',
  description: 'Every start sends a fresh PKCE S256 code_challenge, and a fresh nonce when it asks for openid',
  source: 'reference §2.2 Authorize [D D-OAUTH]; §6 item 6 [T5]; §6 item 7: openid without nonce is rejected [T4, T6]',
  part: 'oauth',
  flows: variantsWhere((era) => era.pkce),
  scenario: starts,
  verdict: (answers) => {
    const expected = 'code_challenge_method=S256, a 43-character code_challenge and, with openid, a nonce; none repeated across 3 starts'
    const seen = new Set<string>()
    return allOf(
      answers.map((s) => {
        const problem = s.authorize === null ? `a start ${describeStart(s)}` : pkceProblem(s.authorize, seen)
        return problem === null ? pass : fail(expected, problem)
      }),
    )
  },
})
