import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { refusesTampered } from '../judge-misbehaving.js'
import { tamperedSignIn } from '../scenarios/sign-in-attacks.js'

export default defineCase({
  id: 'oauth-refuses-id-token-other-aud',
  description:
    'An id_token addressed to another Whop app (aud) signs nobody in: every Whop app shares one issuer and key, so aud alone tells them apart',
  source: 'OIDF oidcc-client-test-invalid-aud; OpenID Connect Core §3.1.3.7 item 3; reference §2.2 Discovery and JWKS [T]',
  part: 'oauth',
  flows: ['current-pkce'],
  scenario: tamperedSignIn('id_token', 'other_aud'),
  control: normalSignIn,
  verdict: (tampered, { oauth }) => refusesTampered(tampered, oauth!, 'an id_token for another app'),
})
