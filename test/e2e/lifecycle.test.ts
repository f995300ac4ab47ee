/**
 * The CLI's lifecycle: it serves as soon as it prints its banner; SIGTERM or SIGINT stops it
 * accepting, lets in-flight requests finish and exits 0; a start it cannot make is one line on
 * stderr and a non-zero exit. Timings are guarded against hangs only, never asserted.
 */
import t from 'tap'
import http from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import type { Test } from 'tap'
import { runCli, within, type CliRun } from '../helpers/cli.js'
import { acme, companyKey } from '../helpers/fixtures.js'

/** Generous: a clean stop takes well under a second; this only turns a hang into a failure, and a loaded CI machine can be slow to start a process. */
const STOP_GUARD_MS = 30_000

function get(url: string, agent: http.Agent, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(url, { agent, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = ''
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`${signal} lets an in-flight request finish, closes its keep-alive socket and exits 0`, async (t) => {
    const cli = runCli(t, ['--port', '0'])
    const url = await within(STOP_GUARD_MS, 'banner', cli.listening())
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    t.teardown(() => agent.destroy())
    t.equal((await get(`${url}/_mock/health`, agent)).status, 200, 'serving once the banner is out')
    const armed = await get(`${url}/_mock/faults`, agent, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Long enough that the signal lands while it stalls, even on a loaded machine.
      body: JSON.stringify({ path: '/api/v1/access_tokens', delay_ms: 2000 }),
    })
    t.equal(armed.status, 201)
    // One keep-alive socket carries all three requests, so the stalled one is in flight on a
    // socket that would otherwise go idle, and stay open, after the server began closing.
    const inFlight = get(`${url}/api/v1/access_tokens`, agent, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${companyKey.key}` },
      body: JSON.stringify({ company_id: acme.id }),
    })
    await within(STOP_GUARD_MS, 'the stalled request to reach the server', waitForFaultTaken(cli))
    cli.child.kill(signal)
    const res = await within(STOP_GUARD_MS, 'the in-flight response', inFlight)
    t.equal(res.status, 200, 'the in-flight request is served')
    t.match(JSON.parse(res.body), { token: String })
    t.equal(res.headers.connection, 'close', 'its keep-alive socket is closed after it')
    t.same(await within(STOP_GUARD_MS, 'exit', cli.exited), { code: 0, signal: null })
    t.match(cli.stdout(), `${signal}: stopping`)
    t.equal(cli.stderr(), '')
  })
}

/**
 * Arm a long stall on the token endpoint and send one request into it; resolves once it is in
 * the server, with the request's outcome wrapped (an async function would otherwise wait for it).
 */
async function stallOneRequest(t: Test, cli: CliRun): Promise<{ stalled: Promise<number | string | undefined> }> {
  const url = await within(STOP_GUARD_MS, 'banner', cli.listening())
  await fetch(`${url}/_mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ path: '/api/v1/access_tokens', delay_ms: 60_000 }),
  })
  const agent = new http.Agent()
  t.teardown(() => agent.destroy())
  const stalled = get(`${url}/api/v1/access_tokens`, agent, {
    method: 'POST',
    headers: { authorization: `Bearer ${companyKey.key}` },
  }).then(
    (res) => res.status,
    (error: NodeJS.ErrnoException) => error.code,
  )
  await within(STOP_GUARD_MS, 'the stalled request to reach the server', waitForFaultTaken(cli))
  return { stalled }
}

t.test('a request still stalled 5 s after SIGTERM is cut off: exit 1 with one line on stderr', async (t) => {
  const cli = runCli(t, ['--port', '0'])
  const { stalled } = await stallOneRequest(t, cli)
  cli.child.kill('SIGTERM')
  t.same(await within(3 * STOP_GUARD_MS, 'exit', cli.exited), { code: 1, signal: null })
  t.equal(await stalled, 'ECONNRESET', 'the stalled request never got an answer')
  const lines = cli.stderr().split('\n').filter(Boolean)
  t.equal(lines.length, 1, cli.stderr())
  t.match(lines[0], /^whop-auth-mock: requests still in flight 5 s after SIGTERM; exiting without them$/)
})

t.test('a second signal while draining exits at once with 1 and one line on stderr', async (t) => {
  const cli = runCli(t, ['--port', '0'])
  const { stalled } = await stallOneRequest(t, cli)
  cli.child.kill('SIGTERM')
  await within(
    STOP_GUARD_MS,
    'the stop to begin',
    waitFor(() => cli.stdout().includes('SIGTERM: stopping')),
  )
  cli.child.kill('SIGINT')
  t.same(await within(STOP_GUARD_MS, 'exit', cli.exited), { code: 1, signal: null })
  t.equal(await stalled, 'ECONNRESET')
  t.same(cli.stderr().split('\n').filter(Boolean), [
    'whop-auth-mock: SIGINT while stopping: exiting without waiting for in-flight requests',
  ])
})

t.test('an idle keep-alive connection does not hold the process open', async (t) => {
  const cli = runCli(t, ['--port', '0'])
  const url = await within(STOP_GUARD_MS, 'banner', cli.listening())
  const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60_000 })
  t.teardown(() => agent.destroy())
  t.equal((await get(`${url}/_mock/health`, agent)).status, 200)
  cli.child.kill('SIGTERM')
  t.same(await within(STOP_GUARD_MS, 'exit', cli.exited), { code: 0, signal: null })
})

t.test('a new connection is refused once the server has stopped', async (t) => {
  const cli = runCli(t, ['--port', '0'])
  const url = await within(STOP_GUARD_MS, 'banner', cli.listening())
  cli.child.kill('SIGTERM')
  await within(STOP_GUARD_MS, 'exit', cli.exited)
  await t.rejects(fetch(`${url}/_mock/health`), 'nothing listens on the port any more')
})

t.test('a port already in use exits 1 with one line on stderr', async (t) => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.teardown(() => blocker.close())
  const { port } = blocker.address() as AddressInfo
  const cli = runCli(t, ['--port', String(port)])
  t.same(await within(STOP_GUARD_MS, 'exit', cli.exited), { code: 1, signal: null })
  const lines = cli.stderr().split('\n').filter(Boolean)
  t.equal(lines.length, 1, cli.stderr())
  t.match(lines[0], /^whop-auth-mock: cannot listen: .*EADDRINUSE.*127\.0\.0\.1:\d+$/)
})

t.test('an unreadable fixtures file exits non-zero with one line on stderr naming it', async (t) => {
  const dir = t.testdir({ 'fixtures.json': '{}' })
  for (const [label, file, problem] of [
    ['missing', `${dir}/missing.json`, /cannot be read \(ENOENT\)$/],
    ['a directory', dir, /cannot be read \(EISDIR\)$/],
  ] as const) {
    const cli = runCli(t, ['--port', '0', '--fixtures', file])
    const { code } = await within(STOP_GUARD_MS, 'exit', cli.exited)
    t.not(code, 0, `${label}: non-zero exit`)
    const lines = cli.stderr().split('\n').filter(Boolean)
    t.equal(lines.length, 1, `${label}: ${cli.stderr()}`)
    t.match(lines[0], /^whop-auth-mock: fixtures file /, label)
    t.ok(lines[0]!.includes(file), `${label}: names the file`)
    t.match(lines[0], problem, label)
    t.notMatch(cli.stdout(), /listening on/, `${label}: never listened`)
  }
})

/** The one-shot fault leaves the list when the stalled request takes it, i.e. once that request is in the server. */
async function waitForFaultTaken(cli: CliRun): Promise<void> {
  const url = await cli.listening()
  for (;;) {
    const { faults } = (await (await fetch(`${url}/_mock/faults`)).json()) as { faults: unknown[] }
    if (faults.length === 0) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10))
}
