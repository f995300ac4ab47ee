/**
 * Server mode: the contract cases run against a Whop-compatible server instead of an app.
 * CI runs them against the mock, so the same cases can later be pointed at the real API.
 */
import t from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { startMockServer } from '../../src/index.js'
import { runConformance } from '../../src/conformance/runner.js'
import { runCliToEnd } from '../helpers/cli.js'
import { maskSecret } from '../../src/redact.js'
import { acme, globex, jane, maria, restrictedKey } from '../helpers/fixtures.js'

const SERVER_CASES = [
  'server-caps-expires-at-at-three-hours',
  'server-jwks-serves-es256-keys',
  'server-mints-token-with-api-key',
  'server-refuses-non-subset-scoped-actions',
  'server-rejects-unknown-api-key',
  'server-requires-company-or-user-id',
  'server-token-verifies-against-jwks',
]

t.test('the mock passes every server case through the CLI, with credentials defaulting to its fixtures', async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  const res = await runCliToEnd(t, ['conformance', '--server', mock.url, '--reporter', 'json'])
  t.equal(res.code, 0, res.stderr)
  const report = JSON.parse(res.stdout)
  t.match(report, { mode: 'server', target: { server: mock.url }, counts: { total: 7, passed: 7 } })
  t.same(
    report.results.map((r: { id: string }) => r.id),
    SERVER_CASES,
  )
  const mints = mock.journal({ path: '/api/v1/access_tokens' })
  t.match(mints.find((e) => e.status === 200)!.body, { company_id: acme.id, user_id: jane.id })
})

t.test('server mode sends the credentials it is given, not the fixture defaults', async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  const result = await runConformance({
    mode: 'server',
    server: { url: mock.url, apiKey: restrictedKey.key, companyId: globex.id, userId: maria.id, ungrantedAction: 'company:balance:read' },
  })
  t.equal(result.counts.passed, 7)
  const minted = mock.journal({ path: '/api/v1/access_tokens' }).find((e) => e.status === 200)!
  t.equal(minted.headers.authorization, maskSecret(`Bearer ${restrictedKey.key}`))
  t.match(minted.body, { company_id: globex.id, user_id: maria.id })
})

t.test(
  'a server whose 401 departs from the v1 error envelope fails exactly the unknown-key case, naming the contract problem',
  async (t) => {
    const mock = await startMockServer({ port: 0 })
    t.teardown(() => mock.close())
    // Forwards to the mock, but answers a bad key as a legacy {"message"} body.
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', async () => {
        const { host: _host, ...headers } = req.headers
        const upstream = await request(`${mock.url}${req.url}`, {
          method: req.method as 'GET',
          headers,
          body: chunks.length > 0 ? Buffer.concat(chunks) : null,
        })
        const body = await upstream.body.text()
        if (upstream.statusCode === 401)
          return res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Invalid or missing API key"}')
        res.writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type'] ?? 'application/json') }).end(body)
      })
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    t.teardown(() => new Promise((resolve) => proxy.close(resolve)))
    const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    const res = await runCliToEnd(t, ['conformance', '--server', url, '--reporter', 'json'])
    t.equal(res.code, 1)
    const failed = JSON.parse(res.stdout).results.filter((r: { status: string }) => r.status === 'fail')
    t.match(failed, [
      {
        id: 'server-rejects-unknown-api-key',
        expected: /401 in the v1 error envelope/,
        actual: /answered 401[\s\S]*must have required property 'error'/,
      },
    ])
    t.equal(failed.length, 1)
  },
)

t.test('a server that does not answer is a start-up error (exit 2)', async (t) => {
  const res = await runCliToEnd(t, ['conformance', '--server', 'http://127.0.0.1:1'])
  t.equal(res.code, 2)
  t.match(res.stderr, /conformance could not start: no server answers at http:\/\/127\.0\.0\.1:1/)
})
