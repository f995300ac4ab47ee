/**
 * `whop-auth-mock conformance` as a process: exit 0 when every case passes, 1 when one fails,
 * 2 when the configuration is wrong (naming the field) or the run cannot start.
 */
import t from 'tap'
import { join } from 'node:path'
import { startMockServer } from '../../src/index.js'
import { runCliToEnd } from '../helpers/cli.js'
import { sampleAppDir, sampleConfigCopy, sampleConfigFile } from '../helpers/conformance.js'
import { freePort } from '../helpers/ports.js'
import { call } from '../helpers/http.js'

const routeFlags = ['--token-path', '/api/chat/token', '--user-id', 'user_lgLKOmxgJTeKd', '--company-id', 'biz_u8jzPde0IgxLd6']

t.test('the sample app config passes: exit 0 and a summary of every case', async (t) => {
  // The sample's config, with the longer wait for Whop the project's tests give it on a loaded machine.
  const dir = t.testdir({ 'c.json': JSON.stringify(sampleConfigCopy()) })
  const res = await runCliToEnd(t, ['conformance', '--config', join(dir, 'c.json'), '--app-url', `http://127.0.0.1:${await freePort()}`])
  t.equal(res.code, 0, res.stderr)
  t.match(res.stdout, /token-route: 14 cases\n/)
  t.match(res.stdout, /oauth: 30 cases\n {2}pass {2}oauth-callback-authenticates-exchange\n/)
  t.match(res.stdout, /44 passed, 0 failed, 0 skipped \(44 cases\)/)
})

t.test('flags alone make a whole config: --start runs where it was typed and a sign-in header signs the caller in', async (t) => {
  const port = await freePort()
  const res = await runCliToEnd(
    t,
    [
      'conformance',
      '--app-url',
      `http://127.0.0.1:${port}`,
      '--start',
      'node server.js',
      '--sign-in-header',
      'x-demo-user: sam',
      ...routeFlags,
    ],
    { cwd: sampleAppDir },
  )
  t.equal(res.code, 0, res.stderr)
  t.match(res.stdout, /14 passed, 0 failed/)
})

t.test('a flawed app exits 1 and the summary names the failing case', async (t) => {
  const dir = t.testdir({
    'c.json': JSON.stringify({
      app: { baseUrl: 'http://127.0.0.1:1', start: 'node server.js', cwd: sampleAppDir, env: { DEFECT: 'cache-forever' } },
    }),
  })
  const res = await runCliToEnd(t, [
    'conformance',
    '--config',
    join(dir, 'c.json'),
    '--app-url',
    `http://127.0.0.1:${await freePort()}`,
    '--sign-in-cookie',
    'demo_user=sam',
    ...routeFlags,
  ])
  t.equal(res.code, 1, res.stderr)
  t.match(
    res.stdout,
    /FAIL {2}token-route-remints-after-expiry\n[\s\S]*actual: {3}the app served the expired token again without calling Whop/,
  )
})

t.test('a config without tokenRoute.path exits 2 naming the field', async (t) => {
  const dir = t.testdir({
    'c.json': JSON.stringify({
      app: { baseUrl: 'http://127.0.0.1:3100' },
      tokenRoute: { userId: 'user_lgLKOmxgJTeKd', companyId: 'biz_u8jzPde0IgxLd6' },
    }),
  })
  const res = await runCliToEnd(t, ['conformance', '--config', join(dir, 'c.json')])
  t.equal(res.code, 2)
  t.equal(res.stderr, 'whop-auth-mock: invalid conformance config: tokenRoute.path is required (--token-path)\n')
  t.equal(res.stdout, '')
})

t.test('a bad value given by flag names both the field and the flag', async (t) => {
  const res = await runCliToEnd(t, ['conformance', '--app-url', 'localhost:3000', ...routeFlags])
  t.equal(res.code, 2)
  t.match(res.stderr, /invalid conformance config: app\.baseUrl must be an http\(s\) URL \(--app-url\)/)
})

t.test('sign-in flags make an oauth section; a bad one exits 2 naming the field and the flag', async (t) => {
  const oauthFlags = [
    '--oauth-start',
    '/auth/whop',
    '--oauth-callback',
    '/auth/whop/callback',
    '--oauth-profile',
    '/me',
    '--client-id',
    'app_vUCsMehGAkWvj7',
  ]
  const flow = await runCliToEnd(t, ['conformance', '--app-url', 'http://127.0.0.1:3100', ...oauthFlags, '--oauth-flow', 'implicit'])
  t.equal(flow.code, 2)
  t.equal(
    flow.stderr,
    'whop-auth-mock: invalid conformance config: oauth.flow must be one of current-pkce, legacy-whop-api, legacy-v5 (--oauth-flow)\n',
  )
  const missing = await runCliToEnd(t, [
    'conformance',
    '--app-url',
    'http://127.0.0.1:3100',
    ...oauthFlags.slice(0, 4),
    '--oauth-flow',
    'current-pkce',
    '--client-id',
    'app_vUCsMehGAkWvj7',
  ])
  t.equal(missing.stderr, 'whop-auth-mock: invalid conformance config: oauth.profilePath is required (--oauth-profile)\n')
  const stranger = await runCliToEnd(t, [
    'conformance',
    '--app-url',
    'http://127.0.0.1:3100',
    '--mock-port',
    '0',
    ...oauthFlags.slice(0, 6),
    '--oauth-flow',
    'current-pkce',
    '--client-id',
    'app_notInTheFixtures',
  ])
  t.match(stranger, {
    code: 2,
    stderr: 'whop-auth-mock: invalid conformance config: oauth.clientId is not an app in the mock fixtures (--client-id)\n',
  })
})

t.test("a running mock that does not register the app's callback exits 2 naming the redirect_uri to register", async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  const port = await freePort()
  const res = await runCliToEnd(t, [
    'conformance',
    '--config',
    sampleConfigFile,
    '--app-url',
    `http://127.0.0.1:${port}`,
    '--mock-url',
    mock.url,
  ])
  t.equal(res.code, 2, res.stdout)
  // The run had a fresh tenant of that mock (the runner starts the app, so it can hand it the tenant's URLs).
  const url = mock.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  t.match(
    res.stderr,
    new RegExp(
      `conformance could not start: the mock at ${url}/t/t-[A-Za-z0-9_-]{10} refuses redirect_uri http://127\\.0\\.0\\.1:${port}/auth/whop/callback for app_vUCsMehGAkWvj7`,
    ),
  )
  t.strictSame((await call('GET', `${mock.url}/_mock/tenants`)).body.tenants, [], 'and deleted it at the end')
  t.match(res.stderr, /register it in the apps\[\]\.redirect_uris of the fixtures that mock was started with/)
})

t.test('an API key the mock does not know exits 2 naming mock.apiKey and --api-key, before the app is started', async (t) => {
  const res = await runCliToEnd(t, [
    'conformance',
    '--config',
    sampleConfigFile,
    '--app-url',
    `http://127.0.0.1:${await freePort()}`,
    '--api-key',
    'whop_notAFixtureKey0000',
  ])
  t.equal(res.code, 2)
  t.equal(res.stderr, 'whop-auth-mock: invalid conformance config: mock.apiKey is not an API key in the mock fixtures (--api-key)\n')
})

t.test('a malformed flag, an unknown reporter and an unknown field are configuration errors too (exit 2)', async (t) => {
  const header = await runCliToEnd(t, ['conformance', '--sign-in-header', 'no-colon', ...routeFlags])
  t.match(header, { code: 2, stderr: /--sign-in-header must look like "name: value"/ })
  const reporter = await runCliToEnd(t, ['conformance', '--reporter', 'xml'])
  t.match(reporter, { code: 2, stderr: /--reporter must be one of summary, tap, junit, json/ })
  const dir = t.testdir({
    'c.json': JSON.stringify({
      app: { baseUrl: 'http://127.0.0.1:3100' },
      tokenRoute: { path: '/t', userId: 'user_x', companyId: 'biz_x', token: 'x' },
    }),
  })
  t.match(await runCliToEnd(t, ['conformance', '--config', join(dir, 'c.json')]), {
    code: 2,
    stderr: /tokenRoute\.token is not a known field/,
  })
})

t.test('an app that exits during start-up is a start-up error: exit 2 with its last output', async (t) => {
  const res = await runCliToEnd(t, [
    'conformance',
    '--app-url',
    `http://127.0.0.1:${await freePort()}`,
    '--start',
    'node -e "console.error(\'boom: no config\'); process.exit(3)"',
    ...routeFlags,
  ])
  t.equal(res.code, 2)
  t.match(res.stderr, /conformance could not start: the app stopped before it answered \(exit code 3\)[\s\S]*boom: no config/)
})

t.test('an app that is not running and has no start command is a start-up error naming the mock to start it against', async (t) => {
  const res = await runCliToEnd(t, ['conformance', '--app-url', `http://127.0.0.1:${await freePort()}`, '--mock-port', '0', ...routeFlags])
  t.equal(res.code, 2)
  t.match(
    res.stderr,
    /the app does not answer at http:\/\/127\.0\.0\.1:\d+\/; start it against http:\/\/127\.0\.0\.1:\d+ or give app\.start/,
  )
})

t.test('--help lists every option with the config field it sets', async (t) => {
  const res = await runCliToEnd(t, ['conformance', '--help'])
  t.equal(res.code, 0)
  for (const flag of [
    '--config <file>',
    '--app-url <url>',
    '--start <command>',
    '--mock-url <url>',
    '--server <url>',
    '--reporter <name>',
    '--output <file>',
  ])
    t.match(res.stdout, flag)
  t.match(res.stdout, /\(tokenRoute\.path\)/)
  t.match(res.stdout, /--oauth-flow <flow> +current-pkce, legacy-whop-api or legacy-v5 \(oauth\.flow\)/)
  t.match((await runCliToEnd(t, ['--help'])).stdout, /conformance {3}Check your app's Whop integration/)
})
