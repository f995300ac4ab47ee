import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { refusesTampered } from '../judge-misbehaving.js'
import { tamperedSignIn } from '../scenarios/sign-in-attacks.js'

export default defineCase({
  id: 'oauth-refuses-expired-id-token',
  description: 'An id_token that expired an hour ago signs nobody in',
  source: 'OpenID Connect Core §3.1.3.7 item 9 (exp); RFC 7519 §4.1.4 [I]',
  part: 'oauth',
  flows: ['current-pkce'],
  scenario: tamperedSignIn('id_token', 'expired'),
  control: normalSignIn,
  verdict: (tampered, { oauth }) => refusesTampered(tampered, oauth!, 'an expired id_token'),
})
