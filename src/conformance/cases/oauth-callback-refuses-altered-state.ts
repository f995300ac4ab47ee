import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { pass } from '../judge.js'
import { refused, unreturned } from '../judge-oauth.js'
import { tamperedState } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-callback-refuses-altered-state',
  description:
    'A callback whose state is not the one this browser started with is refused before the code is exchanged, and signs no one in',
  source: 'reference §2.2 Authorize: state [D D-OAUTH]; §4.3 checks: ["state"] [D OLD examples/oauth-nextjs, AUTHJS]; RFC 6749 §10.12 [I]',
  part: 'oauth',
  scenario: tamperedState('altered'),
  control: normalSignIn,
  verdict: (story, { oauth }) => unreturned(story) ?? refused(story, oauth!, 'a callback with another state') ?? pass,
})
