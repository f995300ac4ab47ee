/**
 * The conformance suite's real-browser mode in the project's tests: a config switched to
 * Chromium (Debian's, or CHROMIUM_PATH), and a run's verdicts as a map from case id to status,
 * so two runs (one per browser) can be compared case by case.
 */
import type { Test } from 'tap'
import type { AppModeConfig } from '../../src/conformance/config.js'
import type { RunResult } from '../../src/conformance/result.js'
import { runConformance } from '../../src/conformance/runner.js'
import { chromiumPath } from './browser.js'
import { sampleConfig } from './conformance.js'

/** The same config, driven by Chromium. */
export const inChromium = (config: AppModeConfig): AppModeConfig => ({
  ...config,
  browser: { engine: 'chromium', executablePath: chromiumPath },
})

/** Every case's verdict, by case id. */
export const verdicts = (result: RunResult): Record<string, string> => Object.fromEntries(result.results.map((r) => [r.id, r.status]))

/** What did not pass, with the reason, for a readable failure. */
export const notPassed = (result: RunResult): string[] =>
  result.results.filter((r) => r.status !== 'pass').map((r) => `${r.id} ${r.status}: ${r.actual ?? r.reason ?? ''}`)

/**
 * The sample app (with `env`, e.g. a DEFECT) through the whole suite in both browsers: the same
 * verdict on every case, and every case judged in Chromium (its positive controls passed).
 */
export async function compareBrowsers(t: Test, env: Record<string, string>): Promise<{ simulated: RunResult; chromium: RunResult }> {
  const config = await sampleConfig(env)
  const simulated = await runConformance(config)
  const chromium = await runConformance(inChromium(config))
  t.same(verdicts(chromium), verdicts(simulated), `in chromium, not passed: ${notPassed(chromium).join('; ') || 'none'}`)
  t.equal(chromium.results.length, simulated.results.length, 'as many cases')
  t.equal(chromium.counts.notJudged, 0, 'every case judged in Chromium: its controls passed')
  t.comment(`run time: simulated ${simulated.durationMs} ms, chromium ${chromium.durationMs} ms`)
  return { simulated, chromium }
}
