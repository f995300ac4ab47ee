/**
 * A known path asked with a method none of its operations serves is 405 with `Allow`
 * (RFC 9110 §15.5.6), in the envelope of that path's family; an unknown path stays 404.
 * Every family of the spec is tried, on paths the spec lists.
 */
import t from 'tap'
import { ERROR_FAMILIES, type ErrorFamily } from '../src/spec/families.js'
import { loadBundledSpec, type Operation, type Spec } from '../src/spec/load-spec.js'
import { operationsAtPath } from '../src/spec/path-match.js'
import { startMock } from './helpers/start-mock.js'
import { call } from './helpers/http.js'

const CANDIDATES = ['PUT', 'PATCH', 'DELETE', 'POST', 'GET'] as const

/** What a 405 body looks like in each family. */
const ENVELOPES: Record<ErrorFamily, (body: any, text: string) => boolean> = {
  v1: (body) => body.error.type === 'invalid_request_error' && body.error.code === 'method_not_allowed',
  oauth: (body) => body.error === 'invalid_request' && typeof body.error_description === 'string',
  v5: (body) => body.error.status === 405,
  v2: (body) => body.error.code === 405,
  control: (body) => body.error.code === 'method_not_allowed',
  html: (_body, text) => text.startsWith('<!doctype html>'),
}

/** A concrete path of the operation (parameters filled in) and a method no operation there serves. */
function probeOf(spec: Spec, operation: Operation): { path: string; method: string; allowed: string[] } {
  const path = operation.routePaths[0]!.replace(/:[^/]+/g, 'x_probe')
  const served = new Set<string>(operationsAtPath(spec, path).map((op) => op.method))
  const method = CANDIDATES.find((m) => !served.has(m))
  if (method === undefined) throw new Error(`every method is served at ${path}`)
  if (served.has('GET')) served.add('HEAD')
  return { path, method, allowed: [...served].sort() }
}

t.test('every family answers 405 with Allow, in its own envelope', async (t) => {
  const spec = await loadBundledSpec()
  const mock = await startMock(t)
  for (const family of ERROR_FAMILIES) {
    const operations = spec.operations.filter((op) => op.family === family)
    t.ok(operations.length > 0, `the spec has ${family} operations`)
    for (const operation of operations) {
      const { path, method, allowed } = probeOf(spec, operation)
      const res = await call(method, `${mock.url}${path}`)
      t.equal(res.status, 405, `${family}: ${method} ${path}`)
      t.same(String(res.headers.allow).split(', '), allowed, `${method} ${path}: Allow lists ${allowed.join(', ')}`)
      t.ok(ENVELOPES[family](res.body, res.text), `${method} ${path}: the ${family} envelope (${res.text.slice(0, 120)})`)
    }
  }
  t.ok(mock.checked() > 0, 'every answer was checked against the spec')
})

t.test('an unknown path is still 404, and a served method still answers', async (t) => {
  const mock = await startMock(t)
  t.equal((await call('PUT', `${mock.url}/api/v1/nowhere`)).status, 404)
  t.equal((await call('DELETE', `${mock.url}/_mock/nowhere`)).status, 404)
  t.equal((await call('GET', `${mock.url}/_mock/health`)).status, 200)
  const head = await call('HEAD', `${mock.url}/_mock/health`)
  t.equal(head.status, 200, 'HEAD is served wherever GET is, as Allow says')
})
