/**
 * `whop-auth-mock conformance`: check an app's Whop integration against the documented edge
 * cases, or a Whop-compatible server (--server) against the contract. Exit 0 when every case
 * passes, 1 when any fails, 2 when the configuration is wrong or the run cannot start.
 */
import { writeFileSync } from 'node:fs'
import {
  ConfigError,
  exitCodeOf,
  isReporterName,
  isServerMode,
  loadConfig,
  readConfigFile,
  REPORTERS,
  runConformance,
  type ConfigOverrides,
} from '../conformance/index.js'
import { UsageError } from '../errors/startup.js'
import { integerOption, parseOptions, renderHelp, type OptionTable } from './option-table.js'

export const conformanceOptions: OptionTable = {
  config: {
    type: 'string',
    value: '<file>',
    description: 'Config file (JSON Schema: conformance/config.schema.json); the flags below override its fields',
  },
  'app-url': { type: 'string', value: '<url>', description: "Your app's base URL (app.baseUrl)" },
  start: {
    type: 'string',
    value: '<command>',
    description: 'Start your app with this command, with WHOP_BASE_URL, WHOP_API_KEY, PORT... set; stopped at the end (app.start)',
  },
  'mock-url': { type: 'string', value: '<url>', description: 'Use this running mock instead of starting one (mock.url)' },
  'mock-port': {
    type: 'string',
    value: '<port>',
    description: 'Port of the mock the runner starts; default 0 with --start, else 4010 (mock.port)',
  },
  'api-key': {
    type: 'string',
    value: '<key>',
    description: 'API key your app is given (mock.apiKey), or server mode credential (server.apiKey)',
  },
  'token-path': { type: 'string', value: '<path>', description: 'Your token route (tokenRoute.path)' },
  'token-method': { type: 'string', value: '<method>', description: 'Its method; default POST (tokenRoute.method)' },
  'sign-in-header': {
    type: 'string',
    value: '<"name: value">',
    description: 'Header that signs the caller in (tokenRoute.signIn.headers)',
  },
  'sign-in-cookie': { type: 'string', value: '<name=value>', description: 'Cookie that signs the caller in (tokenRoute.signIn.cookies)' },
  'user-id': {
    type: 'string',
    value: '<user_...>',
    description: 'Whop user the caller maps to (tokenRoute.userId), or server mode user (server.userId)',
  },
  'company-id': {
    type: 'string',
    value: '<biz_...>',
    description: 'Whop company of the token (tokenRoute.companyId), or server mode company (server.companyId)',
  },
  'oauth-start': { type: 'string', value: '<path>', description: 'Your route that starts sign-in with Whop (oauth.startPath)' },
  'oauth-callback': { type: 'string', value: '<path>', description: "Your redirect_uri's path (oauth.callbackPath)" },
  'oauth-profile': {
    type: 'string',
    value: '<path>',
    description: 'Your route that reads the signed-in user with their Whop token (oauth.profilePath)',
  },
  'oauth-flow': { type: 'string', value: '<flow>', description: 'current-pkce, legacy-whop-api or legacy-v5 (oauth.flow)' },
  'client-id': { type: 'string', value: '<app_...>', description: 'Your app id, the OAuth client_id (oauth.clientId)' },
  server: {
    type: 'string',
    value: '<url>',
    description: 'Server mode: run the contract cases against this Whop-compatible server (server.url)',
  },
  browser: {
    type: 'string',
    value: '<engine>',
    description:
      "simulated (default) or chromium: Debian's Chromium through playwright-core, for a sign-in that needs JavaScript (browser.engine)",
  },
  'chromium-path': {
    type: 'string',
    value: '<file>',
    description: 'The Chromium the chromium mode runs; default /usr/bin/chromium (browser.executablePath)',
  },
  reporter: { type: 'string', value: '<name>', default: 'summary', description: `Report format: ${Object.keys(REPORTERS).join(', ')}` },
  output: { type: 'string', value: '<file>', description: 'Write the report to this file (the summary still goes to stdout)' },
}

export const conformanceHelp = () =>
  renderHelp(
    'whop-auth-mock conformance --config <file> [options]',
    "Check your app's Whop integration against Whop's documented edge cases, using the mock; or, with --server, a Whop-compatible server against the contract. Exit 0: every case passed; 1: a case failed; 2: bad configuration or the run could not start.",
    conformanceOptions,
  )

/** The config field each flag sets, so an error about that field can name the flag too. */
function flagFields(serverMode: boolean): Record<string, string> {
  const who = serverMode ? 'server' : 'tokenRoute'
  return {
    'app-url': 'app.baseUrl',
    start: 'app.start',
    'mock-url': 'mock.url',
    'mock-port': 'mock.port',
    'api-key': serverMode ? 'server.apiKey' : 'mock.apiKey',
    'token-path': 'tokenRoute.path',
    'token-method': 'tokenRoute.method',
    'sign-in-header': 'tokenRoute.signIn.headers',
    'sign-in-cookie': 'tokenRoute.signIn.cookies',
    'user-id': `${who}.userId`,
    'company-id': `${who}.companyId`,
    'oauth-start': 'oauth.startPath',
    'oauth-callback': 'oauth.callbackPath',
    'oauth-profile': 'oauth.profilePath',
    'oauth-flow': 'oauth.flow',
    'client-id': 'oauth.clientId',
    server: 'server.url',
    browser: 'browser.engine',
    'chromium-path': 'browser.executablePath',
  }
}

function pair(flag: string, text: string, separator: string): Record<string, string> {
  const at = text.indexOf(separator)
  if (at < 1)
    throw new UsageError(`--${flag} must look like ${separator === ':' ? '"name: value"' : 'name=value'}, got ${JSON.stringify(text)}`)
  return { [text.slice(0, at).trim()]: text.slice(at + 1).trim() }
}

/** The flags as a partial config, laid over the file's fields. */
function overridesFrom(values: Record<string, string | boolean | undefined>, fields: Record<string, string>): ConfigOverrides {
  const out: Record<string, unknown> = {}
  for (const [flag, field] of Object.entries(fields)) {
    const raw = values[flag]
    if (typeof raw !== 'string') continue
    const value =
      flag === 'mock-port'
        ? integerOption(flag, raw, 0, 65535)
        : flag === 'sign-in-header'
          ? pair(flag, raw, ':')
          : flag === 'sign-in-cookie'
            ? pair(flag, raw, '=')
            : raw
    const keys = field.split('.')
    let node = out
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>
    node[keys.at(-1)!] = value
  }
  // A command typed at the shell runs where it was typed, not beside the config file.
  if (typeof values.start === 'string') (out.app as Record<string, unknown>).cwd = process.cwd()
  return out as ConfigOverrides
}

export async function conformance(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseOptions(conformanceOptions, argv, env)
  if (values.help) {
    process.stdout.write(conformanceHelp())
    return 0
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}; see --help`)
  const reporter = values.reporter as string
  if (!isReporterName(reporter))
    throw new UsageError(`--reporter must be one of ${Object.keys(REPORTERS).join(', ')}, got ${JSON.stringify(reporter)}`)
  const file = values.config as string | undefined
  const serverMode = values.server !== undefined || (file !== undefined && isServerMode(readConfigFile(file)))
  const fields = flagFields(serverMode)
  let result
  try {
    result = await runConformance(loadConfig({ file, overrides: overridesFrom(values, fields) }))
  } catch (error) {
    const flag = error instanceof ConfigError ? Object.entries(fields).find(([, field]) => error.field === field)?.[0] : undefined
    if (flag !== undefined) throw new ConfigError((error as ConfigError).field, `${(error as ConfigError).problem} (--${flag})`)
    throw error
  }
  const report = REPORTERS[reporter](result)
  if (typeof values.output === 'string') {
    writeFileSync(values.output, report)
    if (reporter !== 'summary') process.stdout.write(REPORTERS.summary(result))
  } else {
    process.stdout.write(report)
  }
  return exitCodeOf(result)
}
