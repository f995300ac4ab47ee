/**
 * Apps that use Whop's real URLs, judged unmodified: the suite's browser follows a redirect to
 * https://whop.com/oauth/ or https://api.whop.com/oauth/authorize onto the run's mock, and
 * app.intercept gives the app the environment that routes its own Whop calls there.
 * @see docs/whop-reference.md §1 (hosts), §2.2, §2.3 (the authorize pages)
 */
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import { ProxyAgent, request } from 'undici'
import { checkConfigShape, resolveConfig, type AppModeConfig } from '../../src/conformance/config.js'
import { runConformance } from '../../src/conformance/runner.js'
import { interceptionFor } from '../../src/conformance/intercept.js'
import { leadsToMock, onMock, pathWithinMock } from '../../src/conformance/whop-urls.js'
import { startMockServer } from '../../src/index.js'
import { freePort } from '../helpers/ports.js'
import { confidentialApp } from '../helpers/fixtures.js'
import { startLegacySignInApp } from '../helpers/legacy-sign-in-app.js'

t.test("Whop's authorize URLs lead to the mock, under its tenant's path; other URLs do not", async (t) => {
  const mock = 'http://127.0.0.1:4010/t/run-1'
  t.equal(onMock(new URL('https://whop.com/oauth/?client_id=a'), mock)?.href, 'http://127.0.0.1:4010/t/run-1/oauth/?client_id=a')
  t.equal(onMock(new URL('https://api.whop.com/oauth/authorize?x=1'), mock)?.href, 'http://127.0.0.1:4010/t/run-1/oauth/authorize?x=1')
  t.equal(onMock(new URL('https://whop.com/discover'), mock), null, "Whop's website outside /oauth is not the mock's")
  t.equal(onMock(new URL('https://example.com/oauth/'), mock), null)
  t.equal(pathWithinMock(new URL('https://whop.com/oauth/?a=1'), mock), '/oauth/')
  t.equal(pathWithinMock(new URL('http://127.0.0.1:4010/t/run-1/oauth/authorize'), mock), '/oauth/authorize')
  t.equal(pathWithinMock(new URL('http://127.0.0.1:9999/t/run-1/oauth/authorize'), mock), null, 'another origin is not the mock')
  t.ok(leadsToMock(new URL('https://api.whop.com/oauth/authorize'), mock))
  t.notOk(leadsToMock(new URL('https://evil.example/oauth/authorize'), mock))
})

t.test('an app that sends the browser to https://whop.com/oauth/ passes the legacy-v5 cases, its sign-in served by the mock', async (t) => {
  const mockPort = await freePort()
  const mockUrl = `http://127.0.0.1:${mockPort}`
  const baseUrl = await startLegacySignInApp(t, {
    mockUrl,
    clientId: confidentialApp.id,
    secret: confidentialApp.client_secret ?? '',
    tokenPath: '/v5/oauth/token',
    authorizeUrl: 'https://whop.com/oauth/',
  })
  const oauth = {
    flow: 'legacy-v5',
    clientId: confidentialApp.id,
    startPath: '/login',
    callbackPath: '/cb',
    profilePath: '/me',
    scope: 'read_user',
  }
  const config = resolveConfig(checkConfigShape({ app: { baseUrl }, mock: { port: mockPort }, oauth }), '/') as AppModeConfig
  const result = await runConformance(config)
  t.same(
    result.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.actual ?? r.reason}`),
    [],
  )
  t.equal(result.counts.passed, 16, 'every legacy-v5 case')
})

t.test('app.intercept proxy: a proxy for the run in front of its mock (tenant included), and the variables that lead there', async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  const tenant = mock.tenant('intercept-run')
  const interception = await interceptionFor('proxy', tenant.url)
  const { env } = interception
  t.equal(env.HTTPS_PROXY, env.HTTP_PROXY)
  t.equal(env.https_proxy, env.HTTPS_PROXY, 'lower case too, which curl reads')
  t.match(env.NO_PROXY, /127\.0\.0\.1/, 'loopback calls (the mock, the app itself) go direct')
  t.equal(env.REQUESTS_CA_BUNDLE, env.SSL_CERT_FILE)
  const ca = readFileSync(env.NODE_EXTRA_CA_CERTS ?? '', 'utf8')
  t.ok(readFileSync(env.REQUESTS_CA_BUNDLE ?? '', 'utf8').endsWith(ca), 'the bundle carries the CA')
  const agent = new ProxyAgent({ uri: env.HTTPS_PROXY ?? '', requestTls: { ca } })
  const res = await request('https://api.whop.com/.well-known/jwks.json', { dispatcher: agent })
  await res.body.dump()
  t.equal(res.statusCode, 200)
  t.same(
    tenant.journal().map((entry) => [entry.path, entry.original_url]),
    [['/.well-known/jwks.json', 'https://api.whop.com/.well-known/jwks.json']],
    "the run's tenant got the call, with Whop's URL",
  )
  t.same(mock.journal(), [], 'not the default tenant')
  await agent.close()
  await interception.close()
  t.notOk(existsSync(env.NODE_EXTRA_CA_CERTS ?? ''), 'the CA files go with the run')
})

t.test('app.intercept preload loads the Node preload and names the mock; intercept needs an app the runner starts', async (t) => {
  const { env } = await interceptionFor('preload', 'http://127.0.0.1:4010/t/x')
  t.match(env.NODE_OPTIONS, /--import=\S*register/)
  t.equal(env.WHOP_MOCK_URL, 'http://127.0.0.1:4010/t/x')
  t.same((await interceptionFor(null, 'http://127.0.0.1:4010')).env, {})
  const oauth = { flow: 'legacy-v5', clientId: confidentialApp.id, startPath: '/login', callbackPath: '/cb', profilePath: '/me' }
  t.throws(() => resolveConfig(checkConfigShape({ app: { baseUrl: 'http://127.0.0.1:3000', intercept: 'proxy' }, oauth }), '/'), {
    message: /app\.intercept applies only to an app the runner starts/,
  })
  const started = resolveConfig(
    checkConfigShape({ app: { baseUrl: 'http://127.0.0.1:3000', start: 'true', intercept: 'preload' }, oauth }),
    '/',
  ) as AppModeConfig
  t.equal(started.app.intercept, 'preload')
})
