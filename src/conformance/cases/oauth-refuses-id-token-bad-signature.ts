import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { refusesTampered } from '../judge-misbehaving.js'
import { tamperedSignIn } from '../scenarios/sign-in-attacks.js'

export default defineCase({
  id: 'oauth-refuses-id-token-bad-signature',
  description: 'An id_token whose ES256 signature does not verify signs nobody in; accepting it over the back channel is a warning',
  source: 'OIDF oidcc-client-test-invalid-sig-es256; OpenID Connect Core §3.1.3.7 item 6 [I]',
  part: 'oauth',
  flows: ['current-pkce'],
  scenario: tamperedSignIn('id_token', 'bad_signature'),
  control: normalSignIn,
  verdict: (tampered, { oauth }) => refusesTampered(tampered, oauth!, 'an id_token with a bad signature', true),
})
