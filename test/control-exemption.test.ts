/**
 * The control API is exempt from faults and from the journal because the spec puts its
 * operations in the `control` family (and `Mock control` tag), not because of a path prefix:
 * moved under another prefix, it stays exempt, and its old path is an ordinary one.
 */
import t from 'tap'
import { SpecError } from '../src/errors/startup.js'
import { loadBundledSpec, readSpec, type Spec } from '../src/spec/load-spec.js'
import { startMock } from './helpers/start-mock.js'
import { call } from './helpers/http.js'

const TENANT_PREFIX = '/t/{tenant}'

/** The bundled spec with every control operation moved under /t/{tenant}, and no unmatched-route rule for /_mock/. */
async function tenantSpec(): Promise<Spec> {
  const document = structuredClone((await loadBundledSpec()).document)
  const paths: NonNullable<typeof document.paths> = {}
  for (const [path, item] of Object.entries(document.paths ?? {}))
    paths[path.startsWith('/_mock/') ? `${TENANT_PREFIX}${path}` : path] = item
  document.paths = paths
  const ext = document as unknown as { 'x-unmatched-routes': { prefix: string }[] }
  ext['x-unmatched-routes'] = ext['x-unmatched-routes'].filter((r) => r.prefix !== '/_mock/')
  return readSpec(document, 'tenant spec')
}

t.test('a control route under another prefix is never faulted nor journaled, by its spec family', async (t) => {
  const mock = await startMock(t, {}, await tenantSpec())
  const control = `${mock.url}/t/acme/_mock`
  const armed = await call('POST', `${control}/faults`, { json: { path: '/t/acme/_mock/health', status: 503 } })
  t.equal(armed.status, 201)
  t.match(await call('GET', `${control}/health`), { status: 200, body: { status: 'ok' } })
  t.match(
    (await call('GET', `${control}/faults`)).body.faults,
    [{ path: '/t/acme/_mock/health', remaining: 1 }],
    'still armed, never taken',
  )
  t.same((await call('GET', `${control}/journal`)).body.entries, [], 'no control call was journaled')
})

t.test('with the control API moved, /_mock/ is an ordinary path: faulted and journaled like any other', async (t) => {
  const mock = await startMock(t, {}, await tenantSpec())
  await call('POST', `${mock.url}/t/acme/_mock/faults`, { json: { path: '/_mock/health', status: 503 } })
  const res = await call('GET', `${mock.url}/_mock/health`)
  t.equal(res.status, 503)
  t.match(res.body, { error: { type: 'internal_server_error' } }, 'answered in the v1 family, which x-unmatched-routes gives it now')
  t.match(mock.context.journal.entries(), [{ path: '/_mock/health', status: 503, fault: true }])
})

t.test('an operation with the Mock control tag but another family (or the reverse) is refused', async (t) => {
  const spec = await loadBundledSpec()
  const tagOnly = structuredClone(spec.document)
  const health = tagOnly.paths?.['/_mock/health']?.get as unknown as Record<string, unknown>
  health['x-error-family'] = 'v1'
  t.throws(
    () => readSpec(tagOnly, 'tag only'),
    new SpecError('GET /_mock/health (getHealth): the Mock control tag and the control family go together'),
  )
  const familyOnly = structuredClone(spec.document)
  const jwks = familyOnly.paths?.['/.well-known/jwks.json']?.get as unknown as Record<string, unknown>
  jwks['x-error-family'] = 'control'
  t.throws(() => readSpec(familyOnly, 'family only'), SpecError)
})
