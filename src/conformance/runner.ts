/**
 * The conformance runner: sets up what the configuration names (a mock, the app, or a
 * server), runs each case's scenario once, in phase order, judges every case, and tears
 * everything down. Cases never drive anything themselves.
 */
import { maskSecret } from '../redact.js'
import { defaultFixturesPath } from '../paths.js'
import { loadBundledSpec } from '../spec/load-spec.js'
import { readFixtureFile, type FixtureData, type WorldData } from '../state/fixtures.js'
import { answers, startApp, type AppProcess } from './app-process.js'
import type { ConformanceCase, Part } from './case.js'
import { loadCases } from './catalog.js'
import { ConfigError, type AppModeConfig, type ConformanceConfig, type OAuthConfig, type ServerModeConfig } from './config.js'
import { Driver } from './driver.js'
import type { OAuthKnown, ServerTarget } from './known.js'
import { connectMock, startLocalMock, type MockHandle } from './mock-handle.js'
import type { CaseResult, PartState, RunResult } from './result.js'
import { SetupError } from '../errors/startup.js'
import { judgeCases, type Judged } from './judging.js'
import { oauthPaths } from './oauth-paths.js'
import { interceptionFor, type Interception } from './intercept.js'
import type { BrowserMaker } from './browser-types.js'
import { simulatedBrowsers } from './browser.js'

/** The run's browsers; Chromium starts once here, and runAgainstApp ends it on every way out. */
async function openBrowsers(config: AppModeConfig): Promise<BrowserMaker> {
  if (config.browser.engine === 'simulated') return simulatedBrowsers
  const { launchChromium } = await import('./chromium.js')
  return launchChromium(config.browser.executablePath)
}

export interface RunOptions {
  /** Default: every case in the catalog. */
  cases?: ConformanceCase[]
}

/** A case applies when its part is named, and, for OAuth, when it applies to the configured flow. */
function applies(c: ConformanceCase, config: ConformanceConfig): boolean {
  return c.flows === undefined || (config.mode === 'app' && config.oauth !== null && c.flows.includes(config.oauth.flow))
}

function partStates(config: ConformanceConfig, cases: ConformanceCase[]): PartState[] {
  const named: Record<Part, boolean> =
    config.mode === 'server'
      ? { 'token-route': false, oauth: false, server: true }
      : { 'token-route': config.tokenRoute !== null, oauth: config.oauth !== null, server: false }
  return (Object.keys(named) as Part[]).map((part) => {
    const count = cases.filter((c) => c.part === part).length
    return { part, state: !named[part] ? 'not-configured' : count === 0 ? 'no-cases' : 'checked', cases: named[part] ? count : 0 }
  })
}

/** Reports go to CI logs: a key that leaked into the app's answer is quoted masked there. */
function redact({ results, failedControls }: Judged, secrets: string[]): Judged {
  const scrub = (text: string | undefined) => secrets.reduce((out, s) => out?.split(s).join(maskSecret(s)), text)
  return {
    results: results.map((r) => ({ ...r, expected: scrub(r.expected), actual: scrub(r.actual), reason: scrub(r.reason) })),
    failedControls: failedControls.map((f) => ({ control: f.control, reason: scrub(f.reason) ?? '' })),
  }
}

function appEnvironment(
  config: AppModeConfig,
  mock: MockHandle,
  apiKey: string,
  intercept: Record<string, string>,
): Record<string, string> {
  const port = new URL(config.app.baseUrl).port
  return {
    WHOP_BASE_URL: `${mock.url}/api/v1`,
    WHOP_API_KEY: apiKey,
    WHOP_USER_TOKEN_JWKS_URL: `${mock.url}/.well-known/jwks.json`,
    WHOP_MOCK_URL: mock.url,
    ...(config.oauth !== null && { WHOP_APP_ID: config.oauth.clientId }),
    ...(port !== '' && { PORT: port }),
    ...intercept,
    ...config.app.env,
  }
}

function readFixtures(file: string | null): FixtureData {
  try {
    return readFixtureFile(file ?? defaultFixturesPath)
  } catch (error) {
    throw new SetupError(`cannot start the mock: ${(error as Error).message}`)
  }
}

function oauthApp(fixtures: FixtureData | WorldData, oauth: OAuthConfig) {
  const app = fixtures.apps.find((a) => a.id === oauth.clientId)
  if (app === undefined) throw new ConfigError('oauth.clientId', 'is not an app in the mock fixtures')
  return app
}

/**
 * The mock the app talks to. One the runner starts gets the app's real callback registered, since
 * the fixtures cannot know the port the app runs on; a running mock must have it in its fixtures.
 */
async function openMock(config: AppModeConfig): Promise<MockHandle> {
  if (config.mock.url !== null) return connectMock(config.mock.url, { freshTenant: config.app.start !== null })
  if (config.oauth === null) return startLocalMock({ port: config.mock.port, fixtures: config.mock.fixtures })
  const fixtures = readFixtures(config.mock.fixtures)
  const app = oauthApp(fixtures, config.oauth)
  if (!app.redirect_uris.includes(config.oauth.redirectUri)) app.redirect_uris.push(config.oauth.redirectUri)
  return startLocalMock({ port: config.mock.port, fixtures })
}

async function oauthKnown(oauth: OAuthConfig, fixtures: WorldData, mock: MockHandle): Promise<OAuthKnown> {
  const app = oauthApp(fixtures, oauth)
  const userId = oauth.userId ?? fixtures.users[0]?.id
  if (userId === undefined || !fixtures.users.some((u) => u.id === userId))
    throw new ConfigError('oauth.userId', 'is not a user in the mock fixtures')
  return {
    flow: oauth.flow,
    // The mock serves the package's own spec, so its paths are this spec's.
    paths: oauthPaths((await loadBundledSpec()).operations, oauth.flow),
    clientId: app.id,
    clientType: app.client_type,
    clientSecret: app.client_secret ?? null,
    appApiKeys: fixtures.api_keys.filter((k) => k.kind === 'app' && k.app_id === app.id).map((k) => k.key),
    redirectUri: oauth.redirectUri,
    userId,
    scope: oauth.scope,
    mockUrl: mock.url,
    startPath: oauth.startPath,
    profilePath: oauth.profilePath,
    start: oauth.start,
    signedIn: oauth.signedIn,
    keepsTokens: oauth.keepsTokens,
    returnToParams: oauth.returnToParams,
  }
}

/** The run against an app, its browsers started first, so a browser that cannot start stops the run before anything else starts. */
async function runAgainstApp(config: AppModeConfig, cases: ConformanceCase[]): Promise<Judged & { mockUrl: string }> {
  const browsers = await openBrowsers(config)
  try {
    return await judgeApp(config, cases, browsers)
  } finally {
    await browsers.close()
  }
}

async function judgeApp(config: AppModeConfig, cases: ConformanceCase[], browsers: BrowserMaker): Promise<Judged & { mockUrl: string }> {
  const mock = await openMock(config)
  let app: AppProcess | null = null
  let interception: Interception | null = null
  try {
    const fixtures = await mock.fixtures()
    const keys = fixtures.api_keys.map((k) => k.key)
    const apiKey = config.mock.apiKey ?? keys[0]
    if (apiKey === undefined || !keys.includes(apiKey)) throw new ConfigError('mock.apiKey', 'is not an API key in the mock fixtures')
    const oauth = config.oauth === null ? null : await oauthKnown(config.oauth, fixtures, mock)
    if (config.app.start !== null) {
      interception = await interceptionFor(config.app.intercept, mock.url)
      app = await startApp({
        command: config.app.start,
        cwd: config.app.cwd,
        env: appEnvironment(config, mock, apiKey, interception.env),
        baseUrl: config.app.baseUrl,
        readyPath: config.app.readyPath,
        timeoutMs: config.app.startTimeoutMs,
      })
    } else if (!(await answers(`${config.app.baseUrl}${config.app.readyPath}`, 3000))) {
      throw new SetupError(
        `the app does not answer at ${config.app.baseUrl}${config.app.readyPath}; start it against ${mock.url} or give app.start`,
      )
    }
    const driver = new Driver(config, mock, { apiKey, tokenRoute: config.tokenRoute, oauth, server: null }, browsers)
    const judged = await judgeCases(cases, driver, () => app?.checkAlive())
    const secrets = [apiKey, ...(oauth === null ? [] : [...oauth.appApiKeys, ...(oauth.clientSecret === null ? [] : [oauth.clientSecret])])]
    return { ...redact(judged, secrets), mockUrl: mock.url }
  } finally {
    await app?.stop()
    await interception?.close()
    await mock.close()
  }
}

/** Server credentials default to the mock's bundled fixtures: its first key, that key's first company, its first member. */
function serverTarget(config: ServerModeConfig): ServerTarget {
  const fixtures = readFixtures(null)
  const key = fixtures.api_keys[0]!
  const companyId = config.server.companyId ?? key.company_ids[0]!
  const company = fixtures.companies.find((c) => c.id === companyId)
  return {
    url: config.server.url,
    apiKey: config.server.apiKey ?? key.key,
    companyId,
    userId: config.server.userId ?? company?.member_ids[0] ?? fixtures.users[0]!.id,
    ungrantedAction: config.server.ungrantedAction,
  }
}

async function runAgainstServer(config: ServerModeConfig, cases: ConformanceCase[]): Promise<Judged> {
  const target = serverTarget(config)
  if (!(await answers(`${target.url}/.well-known/jwks.json`, 3000))) throw new SetupError(`no server answers at ${target.url}`)
  const judged = await judgeCases(cases, new Driver(config, null, { apiKey: target.apiKey, tokenRoute: null, oauth: null, server: target }))
  return redact(judged, [target.apiKey])
}

/** Run every applicable case. Throws ConfigError or SetupError when nothing could be judged. */
export async function runConformance(config: ConformanceConfig, options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now()
  const catalog = (options.cases ?? (await loadCases())).filter((c) => applies(c, config))
  const parts = partStates(config, catalog)
  const cases = catalog.filter((c) => parts.some((p) => p.part === c.part && p.state === 'checked'))
  if (cases.length === 0) throw new ConfigError('tokenRoute', 'is required: the parts the config names have no cases in this version')
  let judged: Judged
  let target: RunResult['target']
  if (config.mode === 'server') {
    judged = await runAgainstServer(config, cases)
    target = { server: config.server.url }
  } else {
    const run = await runAgainstApp(config, cases)
    judged = run
    target = { app: config.app.baseUrl, mock: run.mockUrl }
  }
  const { results, failedControls } = judged
  const count = (status: CaseResult['status']) => results.filter((r) => r.status === status).length
  return {
    mode: config.mode,
    target,
    parts,
    results,
    counts: {
      total: results.length,
      passed: count('pass'),
      failed: count('fail'),
      skipped: count('skip'),
      notJudged: count('not-judged'),
    },
    failedControls,
    durationMs: Math.round(performance.now() - started),
  }
}
