/**
 * `whop-auth-mock healthcheck`, the Docker image's HEALTHCHECK: exit 0 and one line on stdout
 * when the mock answers GET /_mock/health with 200; exit 1 and one line on stderr otherwise.
 */
import t, { type Test } from 'tap'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { startMockServer } from '../../../src/index.js'
import { runCli, within } from '../../helpers/cli.js'

const GUARD_MS = 30_000

async function healthcheck(t: Test, args: string[], env: Record<string, string> = {}) {
  const cli = runCli(t, ['healthcheck', ...args], env)
  const { code } = await within(GUARD_MS, 'healthcheck exit', cli.exited)
  return { code, stdout: cli.stdout(), stderr: cli.stderr() }
}

async function listening(t: Test, server: Server | HttpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => {
    if ('closeAllConnections' in server) server.closeAllConnections()
    if (server.listening) await new Promise((resolve) => server.close(resolve))
  })
  return (server.address() as AddressInfo).port
}

t.test('healthcheck exits 0 with one line on stdout when the mock answers 200', async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  const port = new URL(mock.url).port
  const res = await healthcheck(t, ['--port', port])
  t.equal(res.code, 0)
  t.equal(
    res.stdout,
    `healthy: http://127.0.0.1:${port}/_mock/health answered 200 (whop-auth-mock ${(await (await fetch(`${mock.url}/_mock/health`)).json()).version})\n`,
  )
  t.equal(res.stderr, '')
})

t.test('healthcheck probes https when the mock serves TLS (WHOP_MOCK_TLS), trusting its self-signed certificate', async (t) => {
  const mock = await startMockServer({ port: 0, tls: true })
  t.teardown(() => mock.close())
  const port = new URL(mock.url).port
  const overTls = await healthcheck(t, ['--port', port], { WHOP_MOCK_TLS: 'true' })
  t.equal(overTls.code, 0)
  t.match(overTls.stdout, `healthy: https://127.0.0.1:${port}/_mock/health answered 200`)
  const plain = await healthcheck(t, ['--port', port])
  t.equal(plain.code, 1, 'plain http to a TLS port is unhealthy')
})

t.test('healthcheck reads PORT and HOST as serve does', async (t) => {
  const mock = await startMockServer({ port: 0, host: '127.0.0.2' })
  t.teardown(() => mock.close())
  const port = new URL(mock.url).port
  const res = await healthcheck(t, [], { PORT: port, HOST: '127.0.0.2' })
  t.equal(res.code, 0, res.stderr)
  t.match(
    res.stdout,
    new RegExp(`^healthy: http://127\\.0\\.0\\.2:${port}/_mock/health answered 200`),
    'probes the address HOST names, not the default',
  )
})

t.test('healthcheck checks a wildcard HOST on loopback', async (t) => {
  const mock = await startMockServer({ port: 0, host: '0.0.0.0' })
  t.teardown(() => mock.close())
  const port = new URL(mock.url).port
  const res = await healthcheck(t, [], { PORT: port, HOST: '0.0.0.0' })
  t.equal(res.code, 0, res.stderr)
  t.match(res.stdout, new RegExp(`^healthy: http://127\\.0\\.0\\.1:${port}/_mock/health answered 200`))
})

t.test('healthcheck --url checks that base URL, whatever PORT and HOST say', async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  const base = mock.url.replace('127.0.0.1', 'localhost')
  const res = await healthcheck(t, ['--url', `${base}/`], { PORT: '1', HOST: '192.0.2.1' })
  t.equal(res.code, 0, res.stderr)
  t.match(res.stdout, `healthy: ${base}/_mock/health answered 200`)
})

t.test('healthcheck exits 1 with one line on stderr when nothing listens', async (t) => {
  const probe = createServer()
  const port = await listening(t, probe)
  await new Promise((resolve) => probe.close(resolve))
  const res = await healthcheck(t, ['--port', String(port)])
  t.equal(res.code, 1)
  t.equal(res.stdout, '')
  t.equal(res.stderr, `unhealthy: http://127.0.0.1:${port}/_mock/health ECONNREFUSED\n`)
})

t.test('healthcheck exits 1 when the health endpoint answers other than 200', async (t) => {
  const port = await listening(
    t,
    createHttpServer((_req, res) => res.writeHead(503).end('starting')),
  )
  const res = await healthcheck(t, ['--port', String(port)])
  t.equal(res.code, 1)
  t.equal(res.stderr, `unhealthy: http://127.0.0.1:${port}/_mock/health answered 503\n`)
})

t.test('healthcheck exits 1 when no answer comes within --timeout', async (t) => {
  const port = await listening(
    t,
    createHttpServer(() => {}),
  ) // never answers
  const res = await healthcheck(t, ['--port', String(port), '--timeout', '200'])
  t.equal(res.code, 1)
  t.equal(res.stderr, `unhealthy: http://127.0.0.1:${port}/_mock/health no answer within 200 ms\n`)
})

t.test('healthcheck exits 1, not the 2 Docker reserves, on a bad option', async (t) => {
  for (const args of [['--port', 'abc'], ['--url', 'not a url'], ['--timeout', '-1'], ['--nope']]) {
    const res = await healthcheck(t, args)
    t.equal(res.code, 1, args.join(' '))
    t.equal(res.stderr.split('\n').filter(Boolean).length, 1, res.stderr)
    t.match(res.stderr, /^whop-auth-mock healthcheck: /, args.join(' '))
  }
})
