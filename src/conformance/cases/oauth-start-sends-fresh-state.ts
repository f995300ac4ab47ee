import { defineCase } from '../case.js'
import { fail, pass } from '../judge.js'
import { describeStart, varyingCharacters } from '../judge-oauth.js'
import { starts } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-start-sends-fresh-state',
  description: 'Every sign-in start sends a new, unguessable state: no two starts share one, and at least 16 characters differ',
  source: 'reference §2.2 Authorize and §5: state of 16 random bytes, base64url [D D-OAUTH]; RFC 6749 §10.12 [I]',
  part: 'oauth',
  scenario: starts,
  verdict: (answers) => {
    const expected = 'a different state on each of 3 starts, at least 16 characters of it unpredictable'
    const bad = answers.find((s) => !s.authorize?.searchParams.get('state'))
    if (bad !== undefined)
      return fail(expected, bad.authorize === null ? `a start ${describeStart(bad)}` : `a start sent no state (${bad.authorize.href})`)
    const states = answers.map((s) => s.authorize!.searchParams.get('state')!)
    if (new Set(states).size < states.length) return fail(expected, `the starts sent the states ${states.join(', ')}`)
    return varyingCharacters(states) >= 16
      ? pass
      : fail(expected, `the states ${states.join(', ')} differ in only ${varyingCharacters(states)} characters`)
  },
})
