/**
 * The spec tells the truth: requests generated from each operation's schemas, valid and not, sent to
 * a real mock. No answer is a 5xx, every status is documented with a body matching its schema, and a
 * schema-valid request is refused only for a reason the operation's description states.
 * Replay a failure with SPEC_TRUTH_SEED=<seed>; SPEC_TRUTH_RUNS sets the requests per operation.
 */
import t from 'tap'
import fc from 'fast-check'
import { request } from 'undici'
import { HTTP_METHODS, loadBundledSpec, type Operation, type Spec } from '../src/spec/load-spec.js'
import { startMock, responseContract } from './helpers/start-mock.js'
import { requestArbitrary, type GeneratedRequest } from './helpers/spec-requests.js'
import { refusalProblem } from './helpers/refusal-reasons.js'
import { mintCredentials } from './helpers/credentials.js'
import { defaults } from './helpers/fixtures.js'
import type { Hints } from './helpers/schema-arbitrary.js'

const seed = Number(process.env.SPEC_TRUTH_SEED ?? Math.floor(Math.random() * 2 ** 31))
const runs = Number(process.env.SPEC_TRUTH_RUNS ?? 80)
/** Control calls after whose success the mock goes back to its start state, so later requests meet the usual world. */
const DISTURBING = new Set(['resetMock', 'setClock', 'addFault', 'updateSettings'])

const hints: Hints = {
  strings: [
    ...defaults.companies.map((c) => c.id),
    ...defaults.users.map((u) => u.id),
    ...defaults.users.map((u) => u.username),
    ...defaults.apps.flatMap((a) => [a.id, ...a.redirect_uris]),
    'openid profile email',
    'authorization_code',
    'refresh_token',
    'code',
    'S256',
  ],
}

/** What the spec says in words about an operation answering `status`: its description and that response's. */
function describedBy(spec: Spec, op: Operation, status: number): string {
  const method = HTTP_METHODS.find((m) => m.toUpperCase() === op.method)
  const raw = method === undefined ? undefined : spec.document.paths?.[op.path]?.[method]
  const response = raw?.responses?.[String(status)]
  return `${raw?.description ?? ''}\n${response !== undefined && 'description' in response ? response.description : ''}`
}

async function send(base: string, req: GeneratedRequest) {
  const res = await request(`${base}${req.path}`, { method: req.method, headers: req.headers, body: req.body })
  const text = await res.body.text()
  const { 'content-type': contentType, location } = res.headers
  return {
    status: res.statusCode,
    contentType: typeof contentType === 'string' ? contentType : undefined,
    location: typeof location === 'string' ? location : undefined,
    body: text,
  }
}

t.test(`every operation answers generated requests as its spec says (seed ${seed})`, async (t) => {
  const spec = await loadBundledSpec()
  const contract = await responseContract()
  const mock = await startMock(t)
  let credentials = await mintCredentials(mock.url)
  let sent = 0
  let schemaValid = 0
  const statuses = new Map<number, number>()
  const started = Date.now()
  for (const op of spec.operations) {
    const property = fc.asyncProperty(
      requestArbitrary(op, hints, () => credentials),
      async (req) => {
        const res = await send(mock.url, req)
        sent++
        if (req.schemaValid) schemaValid++
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        const problems = [
          ...(res.status >= 500 ? [`answered ${res.status}`] : []),
          ...contract.check({ operationId: op.operationId, path: new URL(req.path, mock.url).pathname, ...res }),
          ...(req.schemaValid ? refusalProblem(op, describedBy(spec, op, res.status), res) : []),
        ]
        if (DISTURBING.has(op.operationId) && res.status < 300) {
          await request(`${mock.url}/_mock/reset`, { method: 'POST' }).then((r) => r.body.dump())
          credentials = await mintCredentials(mock.url)
        }
        if (problems.length > 0)
          throw new Error(`${req.method} ${req.path} → ${res.status}: ${problems.join('; ')}\n${res.body.slice(0, 300)}`)
      },
    )
    const details = await fc.check(property, { seed, numRuns: runs, endOnFailure: true })
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
    t.notOk(details.failed, `${op.operationId}: ${details.numRuns} requests`, details.failed ? { seed, error } : {})
    if (details.failed) console.error(`${op.operationId} failed; replay with SPEC_TRUTH_SEED=${seed}\n${error}`)
  }
  const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}: ${n}`)
  t.comment(`${sent} requests (${schemaValid} schema-valid) in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${seed}`)
  t.comment(`statuses: ${byStatus.join(', ')}`)
  t.ok(schemaValid > sent / 4 && schemaValid < sent, 'both schema-valid and schema-invalid requests were sent')
  t.ok(sent >= spec.operations.length * runs, 'every operation was exercised')
})
