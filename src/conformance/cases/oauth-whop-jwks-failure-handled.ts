import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { copesWithWhopFailures } from '../judge-misbehaving.js'
import { whopFailsAt } from '../scenarios/whop-failures.js'

export default defineCase({
  id: 'oauth-whop-jwks-failure-handled',
  description:
    'When the JWKS answers 503 JSON, a 502 HTML page or stalls while the app checks an id_token, it answers below 500 in time and signs nobody in (skipped for apps that never fetch it)',
  source: 'OpenID Connect Core §3.1.3.7 item 6, §10.1.1 (keys from jwks_uri); reference §2.2 Discovery and JWKS [T]',
  part: 'oauth',
  flows: ['current-pkce'],
  scenario: whopFailsAt('jwks'),
  control: normalSignIn,
  verdict: (outcomes, { oauth }) => copesWithWhopFailures(outcomes, 'JWKS', oauth!),
})
