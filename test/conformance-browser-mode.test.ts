/**
 * Choosing the conformance suite's browser, without Chromium: the config field and its defaults,
 * the errors that name it, a press the simulated browser cannot make, and a Chromium that is not
 * there (one line saying what to install; nothing else starts). The real-browser runs themselves
 * are in test/browser (`npm run test:browser`).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { Browser } from '../src/conformance/browser.js'
import { checkConfigShape, resolveConfig, type AppModeConfig } from '../src/conformance/config.js'
import { runConformance } from '../src/conformance/runner.js'
import { SetupError } from '../src/errors/startup.js'

const oauth = { startPath: '/login', callbackPath: '/cb', profilePath: '/me', flow: 'legacy-v5', clientId: 'app_vUCsMehGAkWvj7' }
const app = { baseUrl: 'http://127.0.0.1:3999' }

const resolved = (extra: Record<string, unknown>) => resolveConfig(checkConfigShape({ app, oauth, ...extra }), '/work/app') as AppModeConfig

t.test('the simulated browser by default; chromium on request, its path resolved from the config directory', async (t) => {
  t.same(resolved({}).browser, { engine: 'simulated', executablePath: '/usr/bin/chromium' })
  t.same(resolved({ browser: { engine: 'chromium', executablePath: 'bin/chromium' } }).browser, {
    engine: 'chromium',
    executablePath: '/work/app/bin/chromium',
  })
  t.same(resolved({ oauth: { ...oauth, start: { press: '#sign-in' } } }).oauth?.start, {
    method: 'GET',
    csrf: null,
    form: {},
    press: '#sign-in',
  })
})

t.test('an unknown engine, or a browser in server mode, is a ConfigError naming the field', async (t) => {
  t.throws(() => resolved({ browser: { engine: 'firefox' } }), { name: 'ConfigError', message: /browser\.engine/ })
  t.throws(() => resolveConfig(checkConfigShape({ server: { url: 'http://127.0.0.1:4010' }, browser: { engine: 'chromium' } }), '/'), {
    name: 'ConfigError',
    message: /browser applies only to app mode/,
  })
})

t.test('the simulated browser cannot press a control: no answer, and the reason says so', async (t) => {
  const server = createServer((_request, response) =>
    response.writeHead(200, { 'content-type': 'text/html' }).end('<button id="go">Go</button>'),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  const browser = new Browser({ name: 'presser', clock: () => Date.now() })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  const answer = await browser.request('GET', url, { press: '#go' })
  t.equal(answer.status, 0)
  t.equal(answer.error, 'the simulated browser runs no scripts, so it cannot press #go')
  t.equal(answer.hops.length, 1, 'the page itself was fetched')
  t.equal((await browser.request('GET', url)).status, 200, 'without a press, the page is the answer')
})

t.test('a Chromium that is not there stops the run before the mock or the app starts, in one line', async (t) => {
  const config = resolved({ browser: { engine: 'chromium', executablePath: '/nonexistent/chromium' } })
  const error = await runConformance(config).then(
    () => null,
    (e: unknown) => e,
  )
  t.ok(error instanceof SetupError, String(error))
  t.match(error, {
    message: 'the chromium browser mode needs Chromium at /nonexistent/chromium: apt-get install chromium, or set browser.executablePath',
  })
})
