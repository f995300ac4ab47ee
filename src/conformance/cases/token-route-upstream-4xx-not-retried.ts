import { defineCase } from '../case.js'
import { normalMint } from '../controls.js'
import { allOf, fail, pass, unreached } from '../judge.js'
import { upstreamFailures } from '../scenarios/token-route.js'

export default defineCase({
  id: 'token-route-upstream-4xx-not-retried',
  description: 'Does not retry a mint Whop refused with 400, 401, 403 or 404: exactly one request each',
  source: 'reference §4.1: @whop/sdk retries only 408, 409, 429 and 5xx [D NEW:src/client.ts]; §6 items 14-15 [D S3]',
  part: 'token-route',
  scenario: upstreamFailures([400, 401, 403, 404]),
  control: normalMint,
  verdict: (failures) =>
    allOf(
      failures.map(
        ({ status, call }) =>
          unreached(call, `when Whop refused with ${status}`) ??
          (call.mints.length === 1
            ? pass
            : fail(`one POST /api/v1/access_tokens when Whop answers ${status}`, `the app sent ${call.mints.length}`, call.mints)),
      ),
    ),
})
