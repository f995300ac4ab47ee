/** The one ajv-error translation: where the culprit is and what is wrong, for every keyword it words itself. */
import t from 'tap'
import { createAjv } from '../../src/spec/ajv.js'
import { describeSchemaError } from '../../src/spec/schema-problem.js'

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: { type: 'string', pattern: '^user_' },
    url: { type: 'string', pattern: '^https?://' },
    picture: { type: 'string', format: 'uri' },
    kind: { enum: ['company', 'app'] },
    secret: false,
    nested: { type: 'object', required: ['name'] },
  },
}
const validate = createAjv().compile(schema)

function firstProblem(value: unknown, patterns?: 'bare' | 'named') {
  t.notOk(validate(value), `${JSON.stringify(value)} is invalid`)
  const error = validate.errors?.[0]
  if (error === undefined) throw new Error('no error')
  return describeSchemaError(error, patterns === undefined ? {} : { patterns })
}

t.test('each keyword becomes the path to the culprit and words that follow it', async (t) => {
  t.strictSame(firstProblem({}), { at: ['id'], kind: 'missing', words: 'is required' })
  t.strictSame(firstProblem({ id: 'user_1', extra: 1 }), { at: ['extra'], kind: 'unknown', words: 'is not a known field' })
  t.strictSame(firstProblem({ id: 'user_1', nested: {} }), { at: ['nested', 'name'], kind: 'missing', words: 'is required' })
  t.strictSame(firstProblem({ id: 'user_1', secret: 'x' }), { at: ['secret'], kind: 'invalid', words: 'is not allowed here' })
  t.strictSame(firstProblem({ id: 'user_1', kind: 'team' }), { at: ['kind'], kind: 'invalid', words: 'must be one of company, app' })
  t.strictSame(firstProblem({ id: 'user_1', url: 'localhost:3000' }), { at: ['url'], kind: 'invalid', words: 'must be an http(s) URL' })
  t.strictSame(firstProblem({ id: 'user_1', picture: 'not a uri' }), { at: ['picture'], kind: 'invalid', words: 'must be a URL' })
  t.strictSame(firstProblem({ id: 7 }), { at: ['id'], kind: 'invalid', words: 'must be string' })
  t.strictSame(firstProblem([]), { at: [], kind: 'invalid', words: 'must be object' })
})

t.test('a pattern is named the way ajv says it, or bare for a config author', async (t) => {
  t.strictSame(firstProblem({ id: 'jane' }), { at: ['id'], kind: 'invalid', words: 'must match pattern "^user_"' })
  t.strictSame(firstProblem({ id: 'jane' }, 'bare'), { at: ['id'], kind: 'invalid', words: 'must match ^user_' })
})
