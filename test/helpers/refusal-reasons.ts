/**
 * Whether a 400 to a schema-valid request gives a reason the spec states. The schemas say what is
 * well formed; what they cannot say (an unknown client, a code already used, two fields that
 * disagree) the operation's description must name: its error code, and the parameter when the
 * answer names one, each written as `code`.
 */
import type { Operation } from '../../src/spec/load-spec.js'

interface Answer {
  status: number
  body: string
  /** The Location header, when the answer redirects. */
  location?: string | undefined
}

interface Reason {
  code: string | null
  param: string | null
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null)

function reasonOf(op: Operation, body: string): Reason | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null || !('error' in parsed)) return null
  const error = parsed.error
  if (op.family === 'oauth') return { code: text(error), param: null }
  if (typeof error !== 'object' || error === null) return null
  return { code: 'code' in error ? text(error.code) : null, param: 'param' in error ? text(error.param) : null }
}

/** Whether the text writes `word` in backticks, alone or as the start of a dotted path (`profile_picture.id`). */
const mentions = (description: string, word: string) => description.includes(`\`${word}\``) || description.includes(`\`${word}.`)

/** The `error` an authorize page redirects back with (RFC 6749 §4.1.2.1), or null. */
function redirectedError(location: string | undefined): string | null {
  if (location === undefined) return null
  try {
    return new URL(location).searchParams.get('error')
  } catch {
    return null
  }
}

/** Problems with a refusal of a schema-valid request; empty when it is not a refusal or its reason is written down. */
export function refusalProblem(op: Operation, description: string, answer: Answer): string[] {
  const redirected = answer.status === 302 ? redirectedError(answer.location) : null
  if (redirected !== null && !mentions(description, redirected))
    return [`redirected a schema-valid request back with \`${redirected}\`, which the description does not state`]
  // An HTML error page is for a person and carries no machine-readable reason; v5 errors carry none either.
  if (answer.status !== 400 || op.family === 'html' || op.family === 'v5') return []
  const reason = reasonOf(op, answer.body)
  if (reason?.code == null) return ['a schema-valid request was refused with no error code']
  const problems: string[] = []
  if (!mentions(description, reason.code))
    problems.push(`refused a schema-valid request with \`${reason.code}\`, which the description does not state`)
  const param = reason.param?.split('.')[0]
  if (param !== undefined && !mentions(description, param))
    problems.push(`refused a schema-valid request over \`${param}\`, which neither the schema nor the description constrains`)
  return problems
}
