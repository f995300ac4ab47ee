/** What a run produced, as every reporter reads it. */
import type { JournalEntry } from '../state/journal.js'
import type { Part } from './case.js'

export interface CaseResult {
  id: string
  part: Part
  description: string
  source: string
  /** not-judged: the case's positive control failed in this run, so a pass would mean nothing (`reason` says why). */
  status: 'pass' | 'fail' | 'skip' | 'not-judged'
  /** Time spent on this case, including the scenario when this case was the first to need it. */
  durationMs: number
  /** On failure: what a conforming integration does. */
  expected?: string
  /** On failure: what this one did. */
  actual?: string
  /** On failure: the mock journal entries that show it (secrets masked). */
  evidence?: JournalEntry[]
  /** On skip or not-judged: why the case could not judge. */
  reason?: string
  /** On a pass: what the report must still say (a check the app skipped that the protocol allows it to skip). */
  warning?: string
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
  counts: { total: number; passed: number; failed: number; skipped: number; notJudged: number }
  /** Each positive control that failed, with why: the reason cases went unjudged, shown on top of every report. */
  failedControls: { control: string; reason: string }[]
  durationMs: number
}

/** Exit status of a run: 0 when nothing failed and every case was judged, 1 otherwise (2 is for runs that could not start or whose app died). */
export const exitCodeOf = (result: RunResult): number => (result.counts.failed > 0 || result.counts.notJudged > 0 ? 1 : 0)
