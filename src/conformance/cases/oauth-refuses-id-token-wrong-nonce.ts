import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { refusesTampered } from '../judge-misbehaving.js'
import { tamperedSignIn } from '../scenarios/sign-in-attacks.js'

export default defineCase({
  id: 'oauth-refuses-id-token-wrong-nonce',
  description: "An id_token whose nonce is not the one this browser's start sent signs nobody in",
  source: 'OIDF oidcc-client-test-nonce-invalid; OpenID Connect Core §3.1.3.7 item 11; RFC 9700 §4.5.3.2 [I]',
  part: 'oauth',
  flows: ['current-pkce'],
  scenario: tamperedSignIn('id_token', 'wrong_nonce'),
  control: normalSignIn,
  verdict: (tampered, { oauth }) => refusesTampered(tampered, oauth!, 'an id_token with another nonce'),
})
