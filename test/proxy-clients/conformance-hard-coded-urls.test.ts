/**
 * The walkthrough's example: a Python app with Whop's URLs written in
 * (conformance/examples/hard-coded-urls), judged unmodified. app.intercept "proxy" routes its
 * requests calls through the run's proxy, and the suite's browser follows its redirect to
 * https://whop.com/oauth/ onto the mock. Needs python3-requests: `npm run test:proxy`.
 * @see docs/whop-reference.md §2.3, §2.4 (the v5 flow the app uses)
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { loadConfig, type AppModeConfig } from '../../src/conformance/config.js'
import { runConformance } from '../../src/conformance/runner.js'
import { freePort } from '../helpers/ports.js'

const configFile = fileURLToPath(new URL('../../conformance/examples/hard-coded-urls/conformance.json', import.meta.url))

t.test('the v5 Python app with hard-coded Whop URLs passes the 16 legacy-v5 cases through app.intercept proxy', async (t) => {
  await promisify(execFile)('/usr/bin/python3', ['-c', 'import requests']).catch(() => {
    throw new Error('/usr/bin/python3 cannot import requests: install it with: apt-get install python3-requests')
  })
  const port = await freePort()
  const config = loadConfig({ file: configFile, overrides: { app: { baseUrl: `http://127.0.0.1:${port}` } } }) as AppModeConfig
  t.equal(config.app.intercept, 'proxy', 'the example relies on the proxy, not on a base URL setting')
  const result = await runConformance(config)
  t.same(
    result.results.map((r) => [r.id, r.status, r.status === 'pass' ? '' : (r.actual ?? r.reason)]),
    [
      ['oauth-callback-authenticates-exchange', 'pass', ''],
      ['oauth-callback-exchanges-code-once', 'pass', ''],
      ['oauth-callback-handles-access-denied', 'pass', ''],
      ['oauth-callback-lands-cleanly', 'pass', ''],
      ['oauth-callback-refuses-altered-state', 'pass', ''],
      ['oauth-callback-refuses-expired-code', 'pass', ''],
      ['oauth-callback-refuses-missing-state', 'pass', ''],
      ['oauth-callback-refuses-replayed-code', 'pass', ''],
      ['oauth-callback-revisit-exchanges-nothing', 'pass', ''],
      ['oauth-no-secret-or-token-in-browser-urls', 'pass', ''],
      ['oauth-signs-in-and-reads-user', 'pass', ''],
      ['oauth-start-redirects-to-authorize', 'pass', ''],
      ['oauth-start-refuses-open-redirect', 'pass', ''],
      ['oauth-start-sends-fresh-state', 'pass', ''],
      ['oauth-whop-token-endpoint-failure-handled', 'pass', ''],
      ['oauth-whop-user-read-failure-handled', 'pass', ''],
    ],
  )
  t.same(result.failedControls, [])
})

t.test('without app.intercept the same app never reaches the mock: its sign-in fails', async (t) => {
  const port = await freePort()
  const config = loadConfig({ file: configFile, overrides: { app: { baseUrl: `http://127.0.0.1:${port}` } } }) as AppModeConfig
  // No interception: the app's calls to api.whop.com go to a proxy address where nothing listens, as on a machine offline.
  const offline = { ...config, app: { ...config.app, intercept: null, env: { ...config.app.env, HTTPS_PROXY: 'http://127.0.0.1:9' } } }
  const result = await runConformance(offline)
  t.equal(result.results.find((r) => r.id === 'oauth-signs-in-and-reads-user')?.status, 'fail')
  t.equal(
    result.results.find((r) => r.id === 'oauth-start-redirects-to-authorize')?.status,
    'pass',
    "the browser's redirect is still followed onto the mock",
  )
})
