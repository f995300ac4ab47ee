/**
 * Verdict tables: for one example app, mode → the verdict expected of each case named. A mode is
 * the app with some environment (a DEFECT, a switch) and a config file. Every case named must
 * exist and get exactly its verdict; in the app's correct mode ("correct"), every case not named
 * must pass or be skipped as not applicable and every positive control must succeed, so a case
 * added to the catalog later is held to "no false failure" until its row says otherwise.
 * The tables are data (conformance/examples/<app>/verdicts.json), shown in the README.
 */
import { readFileSync } from 'node:fs'
import type { Test } from 'tap'
import { loadConfig, type AppModeConfig } from '../../src/conformance/config.js'
import { runConformance } from '../../src/conformance/runner.js'
import type { CaseResult, RunResult } from '../../src/conformance/result.js'
import { TEST_WHOP_TIMEOUT_MS } from './conformance.js'
import { freePort } from './ports.js'

export const examplesDir = new URL('../../conformance/examples/', import.meta.url)

export interface Mode {
  /** What this mode is, in a few words. */
  about: string
  /** Environment for the app's start command. */
  env?: Record<string, string>
  /** Config file in the app's directory. Default conformance.json. */
  config?: string
  /** Case id → its verdict. */
  expected: Record<string, CaseResult['status']>
}

export interface VerdictTable {
  app: string
  modes: Record<string, Mode>
}

export const CORRECT = 'correct'

export function readVerdictTable(app: string): VerdictTable {
  const text = readFileSync(new URL(`${app}/verdicts.json`, examplesDir), 'utf8')
  return { app, ...(JSON.parse(text) as Omit<VerdictTable, 'app'>) }
}

/** The app's config for one mode, on a free port, with the tests' wait for Whop (WHOP_TIMEOUT_MS) under the mode's environment. */
export async function modeConfig(app: string, mode: Mode): Promise<AppModeConfig> {
  const port = await freePort()
  const file = new URL(`${app}/${mode.config ?? 'conformance.json'}`, examplesDir).pathname
  const env = { WHOP_TIMEOUT_MS: TEST_WHOP_TIMEOUT_MS, ...mode.env }
  const config = loadConfig({ file, overrides: { app: { baseUrl: `http://127.0.0.1:${port}`, env } } })
  if (!('app' in config)) throw new Error(`${file} is a server-mode config`)
  return config
}

const verdicts = (result: RunResult) => Object.fromEntries(result.results.map((r) => [r.id, r.status]))
const why = (r: CaseResult) =>
  `${r.id}: ${r.status}${r.actual !== undefined ? ` (${r.actual})` : r.reason !== undefined ? ` (${r.reason})` : ''}`

/** Check one mode's run against its row of the table. */
export function checkVerdicts(t: Test, name: string, mode: Mode, result: RunResult): void {
  const got = verdicts(result)
  const named = Object.keys(mode.expected)
  t.same(
    named.filter((id) => !(id in got)),
    [],
    'every case the table names ran',
  )
  t.same(Object.fromEntries(named.map((id) => [id, got[id]])), mode.expected, `${name}: the named cases get their verdicts`)
  for (const r of result.results.filter((x) => x.status === 'fail' && named.includes(x.id)))
    t.match(r, { expected: /\S/, actual: /\S/ }, `${r.id} says what was expected and what the app did`)
  if (name !== CORRECT) return
  t.same(
    result.results
      .filter((r) => !named.includes(r.id) && r.status !== 'pass' && !(r.status === 'skip' && /^not applicable/.test(r.reason ?? '')))
      .map(why),
    [],
    'no false failure: every other case passes (or is not applicable)',
  )
  t.same(result.failedControls, [], 'every positive control succeeded, so no pass is vacuous')
}

/** Run every mode of the table at once (each its own mock and app) and check each in its own test; `defects` are the app's DEFECT names. */
export function testVerdictTable(t: Test, table: VerdictTable, defects: string[]): void {
  t.ok(CORRECT in table.modes, `${table.app} has a correct mode`)
  const inTable = Object.values(table.modes).flatMap((m) => (m.env?.DEFECT === undefined ? [] : [m.env.DEFECT]))
  t.same([...new Set(inTable)].sort(), [...defects].sort(), `every defect of ${table.app} has a mode in its table`)
  const runs = new Map<string, Promise<RunResult>>()
  for (const [name, mode] of Object.entries(table.modes)) {
    const result = modeConfig(table.app, mode).then((config) => runConformance(config))
    result.catch(() => {}) // awaited in its test
    runs.set(name, result)
  }
  for (const [name, mode] of Object.entries(table.modes))
    t.test(`${table.app}, ${name}: ${mode.about}`, async (t) => checkVerdicts(t, name, mode, await runs.get(name)!))
}
