/**
 * Injected faults: the next matching requests stall, are answered with a chosen status, or
 * both. Matching and consuming happen together, so two concurrent requests never share one shot.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http'
import { parameterInvalid } from '../errors.js'

/** What a caller asks for (control API `POST /_mock/faults`, or the library's addFault). */
export interface FaultSpec {
  method?: string | undefined
  path: string
  status?: number | undefined
  body?: unknown
  headers?: Record<string, string> | undefined
  delay_ms?: number | undefined
  times?: number | undefined
}

/** The request is held for `delay_ms` (always more than 0), then served as if no fault were armed. */
export interface StallEffect {
  kind: 'stall'
  delay_ms: number
}

/**
 * The request is answered with `status` after `delay_ms` (0: at once). Without `body` the answer
 * is the documented error of that status in the route's family; a string body is sent as text,
 * anything else as JSON.
 */
export interface AnswerEffect {
  kind: 'answer'
  status: number
  body?: unknown
  headers: Record<string, string>
  delay_ms: number
}

/** Which requests a fault takes, and how many more. */
export interface FaultTarget {
  id: number
  method: string | null
  path: string
  remaining: number
}

/** One armed fault: a stall, or an answer (possibly after a stall); never a fault that does nothing. */
export type Fault = FaultTarget & (StallEffect | AnswerEffect)
export type AnsweringFault = FaultTarget & AnswerEffect
/** A fault before it has an id. */
export type ArmedFault = Omit<FaultTarget, 'id'> & (StallEffect | AnswerEffect)

/** Faults armed at once; arming one more is refused. */
export const MAX_FAULTS = 100
/**
 * Characters of armed faults' bodies and headers in all tenants together: tenants come with any
 * request under /t/{name}/, so without it a hundred tenants could hold a hundred times one
 * tenant's bound. Past it, arming is refused until faults are used up or cleared.
 */
export const MAX_FAULT_CHARS_TOTAL = 16 * 1024 * 1024

/** The fault bytes every tenant's table counts against (the default tenant's, shared). */
export class FaultBudget {
  used = 0
  constructor(readonly max = MAX_FAULT_CHARS_TOTAL) {}
}

/** Characters of a fault's body and headers together (as JSON); a larger fault is refused. */
export const MAX_FAULT_CHARS = 64 * 1024

/** The JSON text of a fault's part; a value JSON cannot write (nested too deep for the serializer) is refused. */
function jsonOf(value: unknown, param: string): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    throw parameterInvalid(param, `A fault's ${param} must be writable as JSON; this one is nested too deeply to send.`)
  }
}

/** A fault whose body and headers take more than MAX_FAULT_CHARS as JSON is refused (it arrived as JSON, so it has a JSON form). Returns its size. */
function checkSize(spec: FaultSpec): number {
  const chars = jsonOf(spec.body, 'body').length + jsonOf(spec.headers ?? {}, 'headers').length
  if (chars > MAX_FAULT_CHARS)
    throw parameterInvalid(
      'body',
      `A fault's body and headers may take at most ${MAX_FAULT_CHARS} characters as JSON; this one takes ${chars}.`,
    )
  return chars
}

/** Statuses whose answer never has a body (RFC 9110 §15.3.5, §15.4.5). */
export const BODYLESS_STATUSES: ReadonlySet<number> = new Set([204, 304])

/**
 * Headers a fault may not set: hop-by-hop ones (RFC 9110 §7.6.1) and the message framing,
 * which belong to the connection and the server, not to an answer.
 */
const FORBIDDEN_HEADER = /^(connection|keep-alive|transfer-encoding|upgrade|te|trailer|proxy-.*|content-length)$/i

/** A header Node could not write: a name that is not an HTTP token, a value with CR, LF or a character past U+00FF (RFC 9110 §5.1, §5.5). */
function checkHeaderText(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    try {
      validateHeaderName(name)
      validateHeaderValue(name, value)
    } catch {
      throw parameterInvalid(
        `headers.${name}`,
        `A fault cannot send this header: its name must be an HTTP token and its value one line of Latin-1 text.`,
      )
    }
  }
}

/** A fault answer that HTTP itself could not carry: a 1xx status, a body on a bodyless status, a hop-by-hop header, a header Node cannot write. */
function checkAnswer(status: number, body: unknown, headers: Record<string, string>): void {
  if (status < 200) throw parameterInvalid('status', `A fault cannot answer with ${status}: a 1xx status is interim, never the answer.`)
  if (body !== undefined && BODYLESS_STATUSES.has(status))
    throw parameterInvalid('body', `A fault answering ${status} cannot have a body: HTTP sends none with that status.`)
  const forbidden = Object.keys(headers).find((name) => FORBIDDEN_HEADER.test(name))
  if (forbidden !== undefined)
    throw parameterInvalid(`headers.${forbidden}`, `A fault cannot set ${forbidden}: it belongs to the connection, not to the answer.`)
  checkHeaderText(headers)
}

/** The effect a spec asks for; a spec that would do nothing, or a body or headers with no status, is refused. */
function effectOf(spec: FaultSpec): StallEffect | AnswerEffect {
  const delay_ms = spec.delay_ms ?? 0
  if (spec.status !== undefined) {
    checkAnswer(spec.status, spec.body, spec.headers ?? {})
    const answer: AnswerEffect = { kind: 'answer', status: spec.status, headers: spec.headers ?? {}, delay_ms }
    if (spec.body !== undefined) answer.body = spec.body
    return answer
  }
  if (spec.body !== undefined || spec.headers !== undefined)
    throw parameterInvalid('status', 'A fault with a body or headers needs a status to answer with.')
  if (delay_ms === 0) throw parameterInvalid('status', 'A fault needs a status, a delay_ms, or both.')
  return { kind: 'stall', delay_ms }
}

/** The fault a spec arms, before it has an id. Throws a 400 MockError for a spec that cannot be armed. */
export function armable(spec: FaultSpec): ArmedFault {
  checkSize(spec)
  return armed(spec)
}

function armed(spec: FaultSpec): ArmedFault {
  return { method: spec.method?.toUpperCase() ?? null, path: spec.path, remaining: spec.times ?? 1, ...effectOf(spec) }
}

/** The refusal when MAX_FAULTS are armed. */
export const faultsFull = () =>
  parameterInvalid(null, `At most ${MAX_FAULTS} faults can be armed at once; DELETE /_mock/faults to start again.`)

export class FaultTable {
  #faults: Fault[] = []
  #nextId = 1
  /** Each armed fault's size as counted against the budget, by id. */
  readonly #chars = new Map<number, number>()

  constructor(private readonly budget = new FaultBudget()) {}

  /** Arm a fault. Throws a 400 MockError for a spec that cannot be armed. */
  add(spec: FaultSpec): Fault {
    if (this.#faults.length >= MAX_FAULTS) throw faultsFull()
    const chars = checkSize(spec)
    if (this.budget.used + chars > this.budget.max)
      throw parameterInvalid(
        'body',
        `Armed faults of all tenants may take at most ${this.budget.max} characters as JSON together; use or clear some first.`,
      )
    const fault: Fault = { id: this.#nextId, ...armed(spec) }
    this.#nextId++
    this.#faults.push(fault)
    this.#chars.set(fault.id, chars)
    this.budget.used += chars
    return { ...fault }
  }

  /** The first armed fault for this request, with one shot used up; undefined when none. */
  take(method: string, path: string): Fault | undefined {
    if (this.#faults.length === 0) return undefined
    const index = this.#faults.findIndex((f) => f.path === path && (f.method === null || f.method === method))
    if (index < 0) return undefined
    const fault = this.#faults[index]
    if (fault === undefined) return undefined
    fault.remaining--
    if (fault.remaining === 0) {
      this.#faults.splice(index, 1)
      this.#release(fault.id)
    }
    return { ...fault }
  }

  list(): Fault[] {
    return this.#faults.map((f) => ({ ...f }))
  }

  clear(): void {
    for (const fault of this.#faults) this.#release(fault.id)
    this.#faults = []
  }

  #release(id: number): void {
    this.budget.used -= this.#chars.get(id) ?? 0
    this.#chars.delete(id)
  }
}
