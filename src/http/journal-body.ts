/**
 * What the journal keeps of a request body: small, shallow bodies as parsed; anything longer
 * than MAX_BODY_CHARS or deeper than MAX_BODY_DEPTH as its text cut to MAX_BODY_CHARS with a
 * marker saying how long it was; binary bodies as a marker with their size. The cut text is
 * copied, so a kept entry never holds on to a large request's string.
 */

/** Characters of a body the journal keeps. */
export const MAX_BODY_CHARS = 8192
/** Nesting the journal keeps as parsed; deeper bodies are kept as cut text. */
export const MAX_BODY_DEPTH = 32

export interface JournaledBody {
  body: unknown
  /** About how many characters it takes. */
  chars: number
}

/** Characters keys, codes and tokens are made of: a cut never keeps part of a run of them. */
const TOKEN_CHAR = /[A-Za-z0-9_.~+/=-]/
/** Up to this much of the cut run goes; no secret the mock issues is longer. */
const MAX_TRAILING_RUN = 1024

/**
 * Where `head` ends once its trailing run of token characters (at most MAX_TRAILING_RUN) is
 * dropped. A walk back from the end, not a regular expression anchored at `$`: that one tries
 * every start in the text and cost about 7 million steps on a cut full of token characters.
 */
function endBeforeTrailingRun(head: string): number {
  const floor = Math.max(0, head.length - MAX_TRAILING_RUN)
  let end = head.length
  while (end > floor && TOKEN_CHAR.test(head.charAt(end - 1))) end--
  return end
}

/**
 * A copy of the first MAX_BODY_CHARS characters (not a slice that shares the original's
 * memory), less a run of token characters the cut goes through: part of a secret is not kept,
 * since masking by value recognizes only whole ones.
 */
function cut(text: string): JournaledBody {
  if (text.length <= MAX_BODY_CHARS) return { body: text, chars: text.length }
  let head = text.slice(0, MAX_BODY_CHARS)
  if (TOKEN_CHAR.test(text.charAt(MAX_BODY_CHARS))) head = head.slice(0, endBeforeTrailingRun(head))
  const kept = Buffer.from(head).toString()
  const body = `${kept}…[truncated by the journal: ${text.length} characters in all]`
  return { body, chars: body.length }
}

/** The characters a parsed value takes as JSON, about; -1 once past the budget or too deep. */
function sizeWithin(value: unknown, budget: number, depth: number): number {
  if (typeof value === 'string') return value.length + 2 <= budget ? value.length + 2 : -1
  if (value === null || typeof value !== 'object') return 8
  if (depth >= MAX_BODY_DEPTH) return -1
  let used = 2
  for (const [key, item] of Object.entries(value)) {
    const size = sizeWithin(item, budget - used - key.length - 4, depth + 1)
    if (size < 0) return -1
    used += size + key.length + 4
    if (used > budget) return -1
  }
  return used
}

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return '[a body that cannot be written as JSON]'
  }
}

/** The journal's copy of a body; `text` is the body's original text when the parser kept it. */
export function journalBody(body: unknown, text: string | undefined): JournaledBody {
  if (body === undefined) return { body: null, chars: 4 }
  if (Buffer.isBuffer(body)) return cut(`[${body.length} bytes of binary data, not journaled]`)
  if (typeof body === 'string') return cut(body)
  const size = sizeWithin(body, MAX_BODY_CHARS, 0)
  if (size >= 0) return { body, chars: size }
  return cut(text ?? jsonText(body))
}
