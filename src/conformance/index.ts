/**
 * The conformance suite as a library: check an app's Whop integration (or a Whop-compatible
 * server) against the documented edge cases. The CLI's `conformance` command is a thin layer
 * over this.
 *
 * ```ts
 * const config = loadConfig({ file: 'conformance.json' })
 * const result = await runConformance(config)
 * process.stdout.write(REPORTERS.summary(result))
 * ```
 */
export { runConformance, type RunOptions } from './runner.js'
export { isServerMode, loadConfig, resolveConfig, readConfigFile, checkConfigShape, configSchemaPath, ConfigError } from './config.js'
export type {
  ConformanceConfig,
  ConformanceConfigFile,
  ConfigOverrides,
  AppModeConfig,
  ServerModeConfig,
  TokenRouteConfig,
  OAuthConfig,
} from './config.js'
export { SetupError } from '../errors/startup.js'
export { loadCases } from './catalog.js'
export { defineCase, PARTS, type ConformanceCase, type Part, type Verdict } from './case.js'
export type { Known, OAuthKnown, OAuthPaths, ServerTarget } from './known.js'
export type { Scenario } from './driver.js'
export { SIGN_IN_VARIANTS, variantEra, type SignInVariant } from '../eras.js'
export { exitCodeOf, type RunResult, type CaseResult, type PartState } from './result.js'
export { REPORTERS, isReporterName, type ReporterName } from './reporters/index.js'
export { Browser, type BrowserResponse, type BrowserRequest, type FollowRule } from './browser.js'
export type { ConformanceBrowser, Hop } from './browser-types.js'
export { ANSWER_BOUND_MS, CLOCK_LAG_SECONDS } from './driver.js'
