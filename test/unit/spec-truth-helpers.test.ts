/**
 * The property test's own parts: values drawn for a schema satisfy it, and a refusal of a
 * schema-valid request passes only when the description names its code and parameter.
 */
import t from 'tap'
import fc from 'fast-check'
import { createAjv } from '../../src/spec/ajv.js'
import { loadBundledSpec } from '../../src/spec/load-spec.js'
import { validValue } from '../helpers/schema-arbitrary.js'
import { refusalProblem } from '../helpers/refusal-reasons.js'

t.test('values drawn as valid for every request body schema of the spec satisfy it', async (t) => {
  const spec = await loadBundledSpec()
  const ajv = createAjv()
  let schemas = 0
  for (const op of spec.operations) {
    for (const [type, schema] of Object.entries(op.requestBody?.content ?? {})) {
      if (type !== 'application/json' || typeof schema === 'boolean') continue
      const validate = ajv.compile(schema)
      fc.assert(
        fc.property(validValue(schema, { strings: ['biz_u8jzPde0IgxLd6', 'not-an-id'] }), (value) => validate(value) === true),
        { numRuns: 50 },
      )
      schemas++
    }
  }
  t.ok(schemas >= 10, `${schemas} body schemas sampled`)
})

t.test('a 400 to a schema-valid request passes only with a reason the description states', async (t) => {
  const op = (await loadBundledSpec()).operations.find((o) => o.operationId === 'createAccessToken')!
  const body = JSON.stringify({ error: { type: 'invalid_request_error', message: 'x', code: 'parameter_invalid', param: 'expires_at' } })
  t.same(refusalProblem(op, 'a time in the past is 400 `parameter_invalid` on `expires_at`', { status: 400, body }), [])
  t.match(refusalProblem(op, 'a time in the past is 400 on `expires_at`', { status: 400, body }), [/`parameter_invalid`/])
  t.match(refusalProblem(op, 'is 400 `parameter_invalid`', { status: 400, body }), [/`expires_at`/])
  t.same(refusalProblem(op, '', { status: 404, body }), [], 'only 400s are judged')
  t.match(refusalProblem(op, '', { status: 400, body: 'not json' }), [/no error code/])
  const location = 'http://localhost:3000/cb?error=invalid_scope&state=s'
  t.match(refusalProblem(op, 'a malformed scope is `invalid_request`', { status: 302, body: '', location }), [/`invalid_scope`/])
  t.same(refusalProblem(op, '`invalid_scope` for a malformed scope', { status: 302, body: '', location }), [])
})
