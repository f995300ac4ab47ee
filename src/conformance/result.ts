/** What a run produced, as every reporter reads it. */
import type { JournalEntry } from '../state/journal.js'
import type { Part } from './case.js'

export interface CaseResult {
  id: string
  part: Part
  description: string
  source: string
  status: 'pass' | 'fail' | 'skip'
  /** Time spent on this case, including the scenario when this case was the first to need it. */
  durationMs: number
  /** On failure: what a conforming integration does. */
  expected?: string
  /** On failure: what this one did. */
  actual?: string
  /** On failure: the mock journal entries that show it (secrets masked). */
  evidence?: JournalEntry[]
  /** On skip: why the case could not judge. */
  reason?: string
}

export interface PartState {
  part: Part
  /** checked: its cases ran; not-configured: the config does not name it; no-cases: named, but this version has no cases for it. */
  state: 'checked' | 'not-configured' | 'no-cases'
  cases: number
}

export interface RunResult {
  mode: 'app' | 'server'
  /** What was checked against what. */
  target: { app?: string; mock?: string; server?: string }
  parts: PartState[]
  results: CaseResult[]
  counts: { total: number; passed: number; failed: number; skipped: number }
  durationMs: number
}

/** Exit status of a run: 0 when nothing failed, 1 otherwise (2 is for runs that could not start). */
export const exitCodeOf = (result: RunResult): number => (result.counts.failed > 0 ? 1 : 0)
