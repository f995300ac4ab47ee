/**
 * Judging a run: every scenario the cases and their positive controls need is observed once,
 * lowest phase first (a control before the stories of its phase), then each case is judged on
 * what was observed. A case whose control failed in this run is "not judged", with the
 * control's failure as the reason; the app dying part-way stops the run with a SetupError.
 */
import type { ConformanceCase, Control, Verdict } from './case.js'
import type { Driver, Scenario } from './driver.js'
import { SetupError } from '../errors/startup.js'
import type { CaseResult, RunResult } from './result.js'

/** Throws a SetupError when the app under test is gone; called between scenarios. */
export type AliveCheck = () => void

interface Need {
  scenario: Scenario<unknown>
  /** The case the time is charged to: the first that needs the scenario. */
  charged: ConformanceCase
  control: boolean
  index: number
}

/** The scenarios to observe, in the order they run. */
function needs(cases: ConformanceCase[]): Need[] {
  const out: Need[] = []
  cases.forEach((c, index) => {
    if (c.control !== undefined) out.push({ scenario: c.control.scenario, charged: c, control: true, index })
    out.push({ scenario: c.scenario, charged: c, control: false, index })
  })
  return out.sort((a, b) => a.scenario.phase - b.scenario.phase || Number(b.control) - Number(a.control) || a.index - b.index)
}

/** Observe every scenario once; how long each case's first scenario took, by case. */
async function observeAll(cases: ConformanceCase[], driver: Driver, alive: AliveCheck): Promise<Map<ConformanceCase, number>> {
  const spent = new Map<ConformanceCase, number>()
  const seen = new Set<string>()
  for (const need of needs(cases)) {
    if (seen.has(need.scenario.key)) continue
    seen.add(need.scenario.key)
    alive()
    const started = performance.now()
    try {
      await driver.observe(need.scenario)
    } catch (error) {
      // The mock or the app cannot be driven at all: no case can judge. Other errors fail the cases that need the scenario.
      if (error instanceof SetupError) throw error
    }
    spent.set(need.charged, (spent.get(need.charged) ?? 0) + performance.now() - started)
  }
  alive()
  return spent
}

/** A case's verdict on the (already observed) scenario; a scenario that threw fails the case. */
async function verdictOf(c: ConformanceCase, driver: Driver): Promise<Verdict> {
  try {
    return c.verdict(await driver.observe(c.scenario), driver.known)
  } catch (error) {
    return {
      status: 'fail',
      expected: 'the scenario to run',
      actual: `the runner could not drive it: ${(error as Error).message}`,
      evidence: [],
    }
  }
}

/** Why a control failed (or that it could not run), or null when it succeeded. */
async function controlFailure(control: Control, driver: Driver): Promise<string | null> {
  try {
    return await control.failure(driver)
  } catch (error) {
    return `the runner could not drive it: ${(error as Error).message}`
  }
}

function resultOf(c: ConformanceCase, verdict: Verdict, durationMs: number): CaseResult {
  const base = { id: c.id, part: c.part, description: c.description, source: c.source, durationMs: Math.round(durationMs) }
  if (verdict.status === 'fail')
    return { ...base, status: 'fail', expected: verdict.expected, actual: verdict.actual, evidence: verdict.evidence }
  if (verdict.status === 'skip') return { ...base, status: 'skip', reason: verdict.reason }
  return { ...base, status: 'pass', ...(verdict.warning !== undefined && { warning: verdict.warning }) }
}

export interface Judged {
  results: CaseResult[]
  failedControls: RunResult['failedControls']
}

/** Judge every case, each against its control when it has one. */
export async function judgeCases(cases: ConformanceCase[], driver: Driver, alive: AliveCheck = () => {}): Promise<Judged> {
  const spent = await observeAll(cases, driver, alive)
  const failures = new Map<Control, string | null>()
  const results: CaseResult[] = []
  for (const c of cases) {
    const started = performance.now()
    const control = c.control
    if (control !== undefined && !failures.has(control)) failures.set(control, await controlFailure(control, driver))
    const reason = control === undefined ? null : (failures.get(control) ?? null)
    const durationMs = (spent.get(c) ?? 0) + performance.now() - started
    if (control !== undefined && reason !== null) {
      results.push({
        ...resultOf(c, { status: 'pass' }, durationMs),
        status: 'not-judged',
        reason: `not judged: the positive control (${control.name}) failed in this run: ${reason}`,
      })
    } else results.push(resultOf(c, await verdictOf(c, driver), durationMs))
  }
  const failedControls = [...failures].flatMap(([control, reason]) => (reason === null ? [] : [{ control: control.name, reason }]))
  return { results, failedControls }
}
