/**
 * The record of a benchmark run, as bench/results.json holds it: lib/benchmark.mjs measures and
 * summarizes, run.mjs adds the machine, date and command, lib/report.mjs renders it. Types only.
 */
import type { CheckRow, MeasureRow, ServerName } from '../targets.mjs'
import type { Summary } from './stats.mjs'

/** The benchmark's knobs, from run.mjs's options. */
export interface BenchmarkOptions {
  rounds: number
  seconds: number
  warmupSeconds: number
  coldStarts: number
  /** Other processes' CPU (percent of one core) above which a measurement is taken again */
  maxOtherCpu: number
}

/** What one measured load cost (lib/measure.mjs measureLoad). */
export interface LoadFigures {
  completed: number
  seconds: number
  latencyMs: { p50: number; p99: number }
  serverCpuUsPerOp: number
  mainThreadCpuUsPerOp: number
  serverCpuPercent: number
  loaderCpuPercent: number
  /** CPU other processes used meanwhile, percent of one core */
  otherCpuPercent: number
}

/** How many tries a measurement took before the machine was quiet enough (the last is kept either way). */
export interface Attempts {
  attempts: number
}

/** A load row's round: its figures. A cold-start round: how busy the machine was during the round's block of cold starts. */
export type RoundDetail = (LoadFigures & Attempts) | ({ otherCpuPercent: number } & Attempts)

export interface MeasureRound {
  round: number
  median: number
  values: number[]
  detail?: RoundDetail
}

export interface MeasureResult {
  id: string
  label: string
  kind: MeasureRow['kind']
  server: ServerName
  unit: string
  connections?: number
  concurrency?: number
  /** Over every round's values; null when no round measured it */
  summary: Summary | null
  rounds: MeasureRound[]
  /** Why the row could not run, when no round measured it */
  unavailable: string | null
  /** One line per round whose load had errors */
  invalid: string[]
}

/** A check with a ratio of medians: judged against its bound when it has one, else reported ('info'). */
export interface JudgedCheck extends CheckRow {
  ratio: number
  perRound: Summary | null
  verdict: 'PASS' | 'FAIL' | 'info'
}

/** A check without a ratio: a measure had errors, or one of the two has no samples. */
export interface UnjudgedCheck extends CheckRow {
  ratio: null
  perRound: null
  verdict: 'INVALID' | 'MISSING' | 'info'
  why: string
}

export type CheckResult = JudgedCheck | UnjudgedCheck

/** What lib/benchmark.mjs runBenchmark resolves with. */
export interface BenchmarkResult {
  measures: MeasureResult[]
  checks: CheckResult[]
  /** Which optional flags each server was given */
  flags: Record<string, string[]>
  options: BenchmarkOptions
}

export interface MachineInfo {
  cpu: string
  cores: number
  memoryGiB: number
  os: string
  node: string
}

/** bench/results.json. */
export interface BenchmarkRun extends BenchmarkResult {
  machine: MachineInfo
  date: string
  command: string
}
