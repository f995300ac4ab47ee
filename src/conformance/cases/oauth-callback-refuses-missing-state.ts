import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { pass } from '../judge.js'
import { refused, unreturned } from '../judge-oauth.js'
import { tamperedState } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-callback-refuses-missing-state',
  description: 'A callback whose state is missing is refused before the code is exchanged, and signs no one in',
  source: 'reference §2.2 Authorize: state [D D-OAUTH]; §4.3 checks: ["state"] [D OLD examples/oauth-nextjs, AUTHJS]; RFC 6749 §10.12 [I]',
  part: 'oauth',
  scenario: tamperedState('missing'),
  control: normalSignIn,
  verdict: (story, { oauth }) => unreturned(story) ?? refused(story, oauth!, 'a callback without state') ?? pass,
})
