import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { copesWithWhopFailures } from '../judge-misbehaving.js'
import { whopFailsAt } from '../scenarios/whop-failures.js'

export default defineCase({
  id: 'oauth-whop-discovery-failure-handled',
  description:
    'When the OpenID discovery document answers 503 JSON, a 502 HTML page or stalls, the app answers below 500 in time and signs nobody in',
  source: 'OpenID Connect Discovery 1.0 §4; reference §2.2 Discovery and JWKS [T, O4W]',
  part: 'oauth',
  flows: ['current-pkce'],
  scenario: whopFailsAt('discovery'),
  control: normalSignIn,
  verdict: (outcomes, { oauth }) => copesWithWhopFailures(outcomes, 'discovery document', oauth!),
})
