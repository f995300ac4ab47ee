/**
 * The correct sample integration passes the whole token-route suite, so every failure the
 * suite reports elsewhere is the defect's, not the suite's (reference: issue 4 items 4 and 6).
 */
import t from 'tap'
import { startMockServer } from '../src/index.js'
import { startApp } from '../src/conformance/app-process.js'
import { runConformance } from '../src/conformance/runner.js'
import type { RunResult } from '../src/conformance/result.js'
import { sampleAppDir, sampleConfig } from './helpers/conformance.js'

const statuses = (result: RunResult) => Object.fromEntries(result.results.map((r) => [r.id, r.status]))
const failures = (result: RunResult) => result.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.actual ?? r.reason}`)

t.test('the correct sample app passes every token-route case, and only the token route is checked', async (t) => {
  const result = await runConformance(await sampleConfig())
  t.same(failures(result), [])
  t.equal(result.counts.passed, 11)
  t.same(result.parts, [
    { part: 'token-route', state: 'checked', cases: 11 },
    { part: 'oauth', state: 'not-configured', cases: 0 },
    { part: 'server', state: 'not-configured', cases: 0 },
  ])
  t.comment(`suite against the sample app: ${result.durationMs} ms (mock and app start-up included)`)
})

t.test('an app that caches each token until expires_at by its own clock also passes (the clock lag keeps the expiry case fair)', async (t) => {
  const result = await runConformance(await sampleConfig({ TOKEN_CACHE: 'until-expiry' }))
  t.same(failures(result), [])
  t.equal(statuses(result)['token-route-remints-after-expiry'], 'pass')
})

t.test('two runs against one long-running app that caches until expiry both pass: no run leaves it a token the next would get', async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  const config = await sampleConfig()
  const app = await startApp({
    command: 'node server.js',
    cwd: sampleAppDir,
    env: { ...mock.env, PORT: new URL(config.app.baseUrl).port, TOKEN_CACHE: 'until-expiry' },
    baseUrl: config.app.baseUrl,
    readyPath: '/',
    timeoutMs: 15_000,
  })
  t.teardown(() => app.stop())
  const againstRunningApp = { ...config, app: { ...config.app, start: null }, mock: { ...config.mock, url: mock.url } }
  t.same(failures(await runConformance(againstRunningApp)), [], 'first run')
  t.same(failures(await runConformance(againstRunningApp)), [], 'second run')
})

t.test('a running mock given as mock.url is driven over its control API, with the same verdicts', async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  const config = await sampleConfig()
  const result = await runConformance({ ...config, mock: { ...config.mock, url: mock.url } })
  t.same(failures(result), [])
  t.equal(result.target.mock, mock.url)
  t.equal(mock.journal().length, 2, "the runner reset the mock before its last scenario, which made two mints")
})
