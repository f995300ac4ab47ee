import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { copesWithWhopFailures } from '../judge-misbehaving.js'
import { whopFailsAt } from '../scenarios/whop-failures.js'

export default defineCase({
  id: 'oauth-whop-token-endpoint-failure-handled',
  description:
    "When the flow's token endpoint answers 503 JSON, a 502 HTML page or stalls, the app answers below 500 in time, signs nobody in, shows none of Whop's body",
  source:
    'RFC 6749 §5.2 (a token request can fail); reference §6 item 13 (Whop answers 429/5xx) [D D-OAUTH, D-TROUBLE]; a guide-shaped Flask app answered 500 on an HTML 502',
  part: 'oauth',
  scenario: whopFailsAt('token'),
  control: normalSignIn,
  verdict: (outcomes, { oauth }) => copesWithWhopFailures(outcomes, 'token endpoint', oauth!),
})
