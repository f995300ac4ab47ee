/**
 * The real-browser mode from the command line: `--browser chromium` runs the suite in Chromium;
 * a Chromium that is not there is one line and exit 2; and no Chromium process outlives the run,
 * whether it ends normally, with a setup error after Chromium started, or on Ctrl-C. Chromium's
 * processes are told apart by a marker in their environment, which they inherit from the CLI.
 */
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { startMockServer } from '../../src/index.js'
import { chromiumPath } from '../helpers/browser.js'
import { runCli, runCliToEnd } from '../helpers/cli.js'
import { freePort } from '../helpers/ports.js'
import { confidentialApp } from '../helpers/fixtures.js'
import { startLegacySignInApp } from '../helpers/legacy-sign-in-app.js'

const MARK = 'WHOP_AUTH_MOCK_TEST_RUN'

/** The processes (Chromium's, the CLI's) whose environment carries this run's marker. */
function marked(run: string, only?: RegExp): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(`${MARK}=${run}`)) continue
      if (only === undefined || only.test(readFileSync(`/proc/${entry}/cmdline`, 'latin1'))) pids.push(Number(entry))
    } catch {
      // The process ended while the list was read.
    }
  }
  return pids
}

/** The CLI's flags for a legacy-v5 app on a free mock port (the mock the run starts), or on `mockUrl`. */
async function legacyAppFlags(t: Test, mockUrl?: string): Promise<string[]> {
  const port = await freePort()
  const url = mockUrl ?? `http://127.0.0.1:${port}`
  const baseUrl = await startLegacySignInApp(t, {
    mockUrl: url,
    clientId: confidentialApp.id,
    secret: confidentialApp.client_secret ?? '',
    tokenPath: '/v5/oauth/token',
  })
  return [
    'conformance',
    ...['--app-url', baseUrl, ...(mockUrl === undefined ? ['--mock-port', String(port)] : ['--mock-url', mockUrl])],
    ...['--oauth-start', '/login', '--oauth-callback', '/cb', '--oauth-profile', '/me', '--oauth-flow', 'legacy-v5'],
    ...['--client-id', confidentialApp.id, '--browser', 'chromium', '--chromium-path', chromiumPath],
  ]
}

t.test('--browser chromium: every case passes, and no Chromium process is left', async (t) => {
  const run = randomUUID()
  const result = await runCliToEnd(t, await legacyAppFlags(t), { env: { [MARK]: run }, hangGuardMs: 180_000 })
  t.equal(result.code, 0, result.stdout + result.stderr)
  t.match(result.stdout, /16 passed, 0 failed/)
  t.same(marked(run), [], 'no process with the run marker is left')
})

t.test('a setup error after Chromium started (a redirect_uri the mock refuses): exit 2, no Chromium left', async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  const run = randomUUID()
  const result = await runCliToEnd(t, await legacyAppFlags(t, mock.url), { env: { [MARK]: run }, hangGuardMs: 120_000 })
  t.equal(result.code, 2, result.stdout + result.stderr)
  t.match(result.stderr, /refuses redirect_uri/)
  t.same(marked(run), [], 'no process with the run marker is left')
})

t.test('Ctrl-C during a run in Chromium: the CLI ends and takes Chromium with it', async (t) => {
  const run = randomUUID()
  const cli = runCli(t, await legacyAppFlags(t), { [MARK]: run })
  while (marked(run, /chromium/).length === 0 && cli.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 100))
  t.ok(marked(run, /chromium/).length > 0, 'Chromium started')
  cli.child.kill('SIGINT')
  await cli.exited
  await new Promise((resolve) => setTimeout(resolve, 500))
  t.same(marked(run), [], 'no process with the run marker is left')
})

t.test('no Chromium at the path given: one line saying what to install, exit 2', async (t) => {
  const flags = await legacyAppFlags(t)
  const result = await runCliToEnd(t, [...flags, '--chromium-path', '/nonexistent/chromium'])
  t.equal(result.code, 2)
  t.same(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`)
  t.match(result.stderr, /Chromium at \/nonexistent\/chromium: apt-get install chromium/)
  t.equal(result.stdout, '', 'no report: nothing ran')
})
