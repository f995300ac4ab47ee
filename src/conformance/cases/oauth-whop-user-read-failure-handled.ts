import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { copesWithWhopFailures } from '../judge-misbehaving.js'
import { whopFailsAt } from '../scenarios/whop-failures.js'

export default defineCase({
  id: 'oauth-whop-user-read-failure-handled',
  description:
    'When /oauth/userinfo, /v5/me and /api/v1/users/me answer 503 JSON, a 502 HTML page or stall, the app answers below 500 in time, signs nobody in, shows none of their body',
  source:
    "OpenID Connect Core §5.3.4 (a userinfo error is no identity); reference §2.2 Userinfo, §2.5 [D D-OAUTH, V5Y]; a guide-shaped Flask app showed /v5/me's 503 body as the profile",
  part: 'oauth',
  scenario: whopFailsAt('userReads'),
  control: normalSignIn,
  verdict: (outcomes, { oauth }) => copesWithWhopFailures(outcomes, 'user read', oauth!),
})
