/**
 * Small verdict builders, so a case file says what it checks in a few lines and every failure
 * reads the same way: what was expected, what the app did, and the journal entries that show it.
 */
import { maskSecretsIn } from '../redact.js'
import type { JournalEntry } from '../state/journal.js'
import type { BrowserResponse } from './browser-types.js'
import { clip, describeAnswer } from './describe.js'
import type { Verdict } from './case.js'
import { MINT_PATH, type ServerAnswer, type TokenCall } from './driver.js'

export const pass: Verdict = { status: 'pass' }

export const fail = (expected: string, actual: string, evidence: JournalEntry[] = []): Verdict => ({
  status: 'fail',
  expected,
  actual,
  evidence,
})

export const skip = (reason: string): Verdict => ({ status: 'skip', reason })

/** A pass the report flags: the app skipped a check the protocol lets it skip. */
export const passWithWarning = (warning: string): Verdict => ({ status: 'pass', warning })

export { clip, describeAnswer } from './describe.js'

/** How a server answered, in one line. */
export function describeServerAnswer(answer: ServerAnswer): string {
  return `${answer.method} ${answer.path} answered ${answer.status} ${answer.contentType ?? '(no content type)'}: ${clip(maskSecretsIn(answer.body.trim()) || '(empty)')}`
}

/** The v1 error a server answered with, if its body has one. */
export type ServerError = { type?: unknown; code?: unknown; param?: unknown } | undefined

/**
 * A server case's verdict: pass when `accepts` the status and error body and the answer keeps
 * the spec's contract; otherwise fail with `expected`, the answer and its contract problems.
 */
export function serverAnswerIs(answer: ServerAnswer, expected: string, accepts: (status: number, error: ServerError) => boolean): Verdict {
  const error = (answer.json as { error?: ServerError } | undefined)?.error
  if (accepts(answer.status, error) && answer.contractProblems.length === 0) return pass
  return fail(expected, [describeServerAnswer(answer), ...answer.contractProblems].join('; '))
}

/** The body of a request (a mint, a token exchange) as the mock journaled it, secrets masked. */
export function requestBody(entry: JournalEntry): Record<string, unknown> {
  return entry.body !== null && typeof entry.body === 'object' ? (entry.body as Record<string, unknown>) : {}
}

/** What a token-route call did, in one line: that it never reached Whop, when it did not. */
export const describeCall = (call: TokenCall): string =>
  call.mints.length === 0
    ? `the app made no POST ${MINT_PATH}; it ${describeAnswer(call.answer)}`
    : `the app ${describeAnswer(call.answer)}`

/** Judge every mint request of a call with `problemOf` (null: fine); a call that made none fails. */
export function eachMint(
  call: TokenCall,
  expected: string,
  problemOf: (body: Record<string, unknown>, entry: JournalEntry) => string | null,
): Verdict {
  if (call.mints.length === 0) return fail(expected, `the app made no POST ${MINT_PATH}; it ${describeAnswer(call.answer)}`)
  for (const entry of call.mints) {
    const problem = problemOf(requestBody(entry), entry)
    if (problem !== null) return fail(expected, problem, [entry])
  }
  return pass
}

/** Where `needle` appears in an answer (`header x-foo` or `body`), or null. */
export function whereIn(answer: BrowserResponse, needle: string): string | null {
  for (const [name, value] of Object.entries(answer.headers)) if (value.includes(needle)) return `header ${name}`
  if (answer.setCookies.some((c) => c.includes(needle))) return 'header set-cookie'
  return answer.body.includes(needle) ? 'body' : null
}

/** Several verdicts as one: the first failure, else the first skip, else pass. */
export function allOf(verdicts: Verdict[]): Verdict {
  return verdicts.find((v) => v.status === 'fail') ?? verdicts.find((v) => v.status === 'skip') ?? pass
}

/** A call during which the app never reached Whop cannot show how it handles Whop's answer. */
export function unreached(call: TokenCall, situation: string): Verdict | null {
  return call.mints.length > 0
    ? null
    : skip(`the app answered without calling Whop ${situation}, so that answer never reached it; it ${describeAnswer(call.answer)}`)
}

/** Reached Whop but gave no answer: nothing to inspect (the promptness case judges the silence). */
export function unanswered(call: TokenCall, situation: string): Verdict | null {
  return (
    unreached(call, situation) ??
    (call.answer.status !== 0 ? null : skip(`the app gave no answer ${situation} (${call.answer.error ?? 'no response'})`))
  )
}
