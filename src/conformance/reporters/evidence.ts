/** Journal entries and run targets in one line each, the same in every text reporter. */
import type { JournalEntry } from '../../state/journal.js'
import type { RunResult } from '../result.js'

import { clip } from '../judge.js'

/** `#7 POST /api/v1/access_tokens → 401 (fault) authorization: Bearer whop_SwM… body: {...}` */
export function describeEntry(entry: JournalEntry): string {
  const parts = [`#${entry.id} ${entry.method} ${entry.path} → ${entry.status}${entry.fault ? ' (fault)' : ''}`]
  if (entry.headers.authorization !== undefined) parts.push(`authorization: ${entry.headers.authorization}`)
  if (entry.body !== null && entry.body !== undefined) parts.push(`body: ${clip(JSON.stringify(entry.body), 240)}`)
  return parts.join(' ')
}

export function describeTarget(result: RunResult): string {
  const { app, mock, server } = result.target
  return server !== undefined ? `server ${server}` : `app ${app} against mock ${mock}`
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`
