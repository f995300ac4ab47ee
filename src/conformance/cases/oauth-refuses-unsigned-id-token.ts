import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { refusesTampered } from '../judge-misbehaving.js'
import { tamperedSignIn } from '../scenarios/sign-in-attacks.js'

export default defineCase({
  id: 'oauth-refuses-unsigned-id-token',
  description: 'An id_token with alg none (unsigned) signs nobody in; accepting it over the back channel is a warning',
  source: 'OIDF oidcc-client-test-idtoken-sig-none; OpenID Connect Core §3.1.3.7 items 6-7 (alg is the registered ES256) [T]',
  part: 'oauth',
  flows: ['current-pkce'],
  scenario: tamperedSignIn('id_token', 'alg_none'),
  control: normalSignIn,
  verdict: (tampered, { oauth }) => refusesTampered(tampered, oauth!, 'an unsigned id_token (alg none)', true),
})
