/**
 * The spec is the route table: the server is built from spec/whop-auth.openapi.yaml, and
 * every response is checked against it (the contract check itself is pinned here too).
 */
import t from 'tap'
import { RouteTableError, SpecError } from '../src/errors/startup.js'
import { loadBundledSpec, loadSpec, loadValidatedSpec } from '../src/spec/load-spec.js'
import { buildRecordPath, sha256Of } from '../src/build-record.js'
import { compileRequestValidator } from '../src/spec/request-validation.js'
import { specPath } from '../src/paths.js'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { buildMockServer, checkRouteTable } from '../src/server.js'
import { ResponseContract } from '../src/spec/contract.js'
import { ERROR_FAMILIES } from '../src/spec/families.js'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey } from './helpers/fixtures.js'

t.test('the spec is a valid OpenAPI 3.1 document with one operation per operationId', async (t) => {
  const spec = await loadBundledSpec()
  t.match(spec.document.openapi, /^3\.1\./)
  const ids = spec.operations.map((op) => op.operationId)
  t.equal(new Set(ids).size, ids.length)
  t.ok(ids.includes('createAccessToken'))
  t.ok(
    spec.operations.every((op) => (ERROR_FAMILIES as readonly string[]).includes(op.family)),
    'every operation names its error family',
  )
})

t.test('the bundled spec was validated by swagger-parser at build, for exactly the bytes it ships', async (t) => {
  const spec = await loadValidatedSpec()
  t.equal(spec.validatedAt, 'build')
  const record = JSON.parse(readFileSync(buildRecordPath, 'utf8')).spec
  t.equal(record.sha256, sha256Of(readFileSync(specPath)))
  t.match(record.validator, /^@apidevtools\/swagger-parser \d+\.\d+\.\d+$/)
})

t.test('a spec whose bytes differ from the build record is validated again at start, and refused when invalid', async (t) => {
  const dir = t.testdir({})
  const record = buildRecordPath
  copyFileSync(specPath, `${dir}/spec.yaml`)
  writeFileSync(`${dir}/spec.yaml`, `${readFileSync(specPath, 'utf8')}\n# an edit\n`)
  const edited = await loadValidatedSpec(`${dir}/spec.yaml`, record)
  t.equal(edited.validatedAt, 'start')
  t.equal(edited.operations.length, (await loadBundledSpec()).operations.length)
  writeFileSync(`${dir}/spec.yaml`, readFileSync(specPath, 'utf8').replace('openapi: 3.1.0', 'openapi: 3.1.0\nnot_a_field: true'))
  await t.rejects(loadValidatedSpec(`${dir}/spec.yaml`, record), SpecError)
  t.equal((await loadValidatedSpec(specPath, `${dir}/no-record.json`)).validatedAt, 'start', 'no record: validated at start')
})

t.test('the control API lives in the same document under its own tag', async (t) => {
  const spec = await loadBundledSpec()
  const control = spec.operations.filter((op) => op.path.startsWith('/_mock/'))
  t.ok(control.length >= 10)
  t.ok(control.every((op) => op.tags.includes('Mock control') && op.family === 'control'))
  t.ok(spec.operations.filter((op) => !op.path.startsWith('/_mock/')).every((op) => !op.tags.includes('Mock control')))
})

t.test('the server registers a route for every operation and alias of the spec', async (t) => {
  const spec = await loadBundledSpec()
  const { app } = await buildMockServer({ port: 0 })
  t.teardown(() => app.close())
  await app.ready()
  for (const op of spec.operations) {
    for (const url of op.routePaths) t.ok(app.hasRoute({ method: op.method, url }), `${op.method} ${url} (${op.operationId})`)
  }
})

t.test('an operation without a handler stops the build with a clear message', async (t) => {
  const spec = await loadBundledSpec()
  t.throws(() => checkRouteTable(spec, {}), RouteTableError)
  t.throws(() => checkRouteTable(spec, {}), /spec operation createAccessToken \(POST \/api\/v1\/access_tokens\) has no handler/)
})

t.test('a handler without an operation stops the build with a clear message', async (t) => {
  const spec = await loadBundledSpec()
  const handlers = Object.fromEntries(spec.operations.map((op) => [op.operationId, () => null]))
  t.doesNotThrow(() => checkRouteTable(spec, handlers))
  t.throws(
    () => checkRouteTable(spec, { ...handlers, deleteEverything: () => null }),
    /handler deleteEverything has no operation in the spec/,
  )
})

t.test('an invalid spec document is refused at load', async (t) => {
  const dir = t.testdir({
    'broken.yaml': 'openapi: 3.1.0\ninfo: { title: x }\npaths: {}\n',
    'no-family.yaml':
      'openapi: 3.1.0\ninfo: { title: x, version: "1" }\npaths:\n  /x:\n    get:\n      operationId: getX\n      responses:\n        "200": { description: ok }\n',
  })
  await t.rejects(loadSpec(`${dir}/broken.yaml`), SpecError)
  await t.rejects(loadSpec(`${dir}/no-family.yaml`), /GET \/x \(getX\) has no valid x-error-family/)
})

t.test('every request and response schema of the spec compiles under strict JSON Schema 2020-12', async (t) => {
  const spec = await loadBundledSpec()
  const contract = new ResponseContract(spec)
  t.ok(contract.compileAll() >= spec.operations.length - 4, 'response schemas compiled')
  for (const op of spec.operations) t.doesNotThrow(() => compileRequestValidator(op).compileAll(), `request schemas of ${op.operationId}`)
})

t.test('the contract check rejects answers the spec does not document', async (t) => {
  const contract = new ResponseContract(await loadBundledSpec())
  const ok = { operationId: 'createAccessToken', path: '/api/v1/access_tokens', contentType: 'application/json' }
  t.same(contract.check({ ...ok, status: 200, body: JSON.stringify({ token: 'a.b.c', expires_at: '2026-01-01T00:00:00.000Z' }) }), [])
  t.match(contract.check({ ...ok, status: 200, body: JSON.stringify({ token: 'a.b.c' }) }), [/expires_at/])
  t.match(contract.check({ ...ok, status: 200, body: JSON.stringify({ token: 'a.b.c', expires_at: '2026-01-01T00:00:00Z' }) }), [/pattern/])
  t.match(contract.check({ ...ok, status: 418, body: '{}' }), [/does not document status 418/])
  t.match(contract.check({ ...ok, status: 401, body: JSON.stringify({ error: 'nope' }) }), [/must be object/])
  t.match(contract.check({ ...ok, status: 200, contentType: 'text/html', body: '<p>' }), [/answered text\/html/])
  t.match(contract.check({ operationId: null, path: '/v5/nope', status: 404, contentType: 'application/json', body: '{"message":"x"}' }), [
    /required property 'error'/,
  ])
  t.same(contract.check({ operationId: 'resetMock', path: '/_mock/reset', status: 204, contentType: undefined, body: '' }), [])
})

t.test('every response of a test server is checked against the spec', async (t) => {
  const mock = await startMock(t)
  await call('POST', `${mock.url}/api/v1/access_tokens`, { headers: bearer(companyKey.key), json: { company_id: acme.id } })
  await call('POST', `${mock.url}/api/v1/access_tokens`, { json: {} })
  await call('GET', `${mock.url}/api/v1/nowhere`)
  t.equal(mock.checked(), 3)
})
