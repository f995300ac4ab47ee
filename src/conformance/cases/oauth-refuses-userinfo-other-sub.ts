import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { refusesTampered } from '../judge-misbehaving.js'
import { tamperedSignIn } from '../scenarios/sign-in-attacks.js'

export default defineCase({
  id: 'oauth-refuses-userinfo-other-sub',
  description: 'A userinfo answer naming another sub than the id_token signs nobody in',
  source: 'OIDF oidcc-client-test-userinfo-invalid-sub; OpenID Connect Core §5.3.2 (userinfo sub must equal the id_token sub) [I]',
  part: 'oauth',
  flows: ['current-pkce'],
  scenario: tamperedSignIn('userinfo', 'other_sub'),
  control: normalSignIn,
  verdict: (tampered, { oauth }) => refusesTampered(tampered, oauth!, 'a userinfo answer for another user'),
})
