/**
 * Ids of the objects the mock creates: Whop's `<prefix>_<base62>` with the suffix lengths of
 * real samples (`user_` 13, `biz_` 14, `app_` 14), and real-format API keys.
 * @see docs/whop-reference.md §5 ID formats, Credentials [T11]
 */
import { randomBytes, randomInt } from 'node:crypto'

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function base62(length: number): string {
  return Array.from({ length }, () => BASE62[randomInt(BASE62.length)]).join('')
}

export const SUFFIX_LENGTH = { user: 13, biz: 14, app: 14, file: 14, apik: 13 } as const

export function newId(prefix: keyof typeof SUFFIX_LENGTH): string {
  return `${prefix}_${base62(SUFFIX_LENGTH[prefix])}`
}

/** `apik_` + 13 base62 + `_` + `A` (app) or `C` (company) + 7 digits + `_` + 64 lowercase hex. */
export function newApiKey(kind: 'app' | 'company'): string {
  const digits = String(randomInt(10_000_000)).padStart(7, '0')
  return `${newId('apik')}_${kind === 'app' ? 'A' : 'C'}${digits}_${randomBytes(32).toString('hex')}`
}
