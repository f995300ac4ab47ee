import { timingSafeEqual } from 'node:crypto'

/** String equality in time that does not depend on where the strings differ, for secrets and PKCE. */
export function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
