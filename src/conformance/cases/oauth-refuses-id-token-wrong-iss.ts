import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { refusesTampered } from '../judge-misbehaving.js'
import { tamperedSignIn } from '../scenarios/sign-in-attacks.js'

export default defineCase({
  id: 'oauth-refuses-id-token-wrong-iss',
  description: 'An id_token from another issuer than Whop signs nobody in',
  source: 'OIDF oidcc-client-test-invalid-iss; OpenID Connect Core §3.1.3.7 item 2; RFC 9207 (issuer identification) [I]',
  part: 'oauth',
  flows: ['current-pkce'],
  scenario: tamperedSignIn('id_token', 'wrong_iss'),
  control: normalSignIn,
  verdict: (tampered, { oauth }) => refusesTampered(tampered, oauth!, 'an id_token from another issuer'),
})
