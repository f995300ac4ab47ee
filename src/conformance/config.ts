/**
 * The conformance configuration: a JSON file checked against the published schema
 * (conformance/config.schema.json), overlaid with command-line fields, then resolved to
 * defaults. Any problem is a ConfigError naming the field, e.g. `tokenRoute.path is required`.
 */
import { readFileSync } from 'node:fs'
import { dirname, join as joinPath, resolve } from 'node:path'
import { createAjv, type ErrorObject, type ValidateFunction } from '../spec/ajv.js'
import { describeSchemaError } from '../spec/schema-problem.js'
import { packageRoot } from '../paths.js'
import { DEBIAN_CHROMIUM } from './chromium-path.js'
import type { SignInVariant } from '../eras.js'
import type { ConformanceConfigFile } from '../generated/conformance-config.js'
import {
  appOrigins,
  signedInRule,
  signInStart,
  tokenRequest,
  type SignedInRule,
  type SignInStart,
  type TokenRequest,
} from './config-shapes.js'

export { appOrigins }

/** The config as written, every field as the schema has it: generated from the schema at build. */
export type { ConformanceConfigFile }

type DeepPartial<T> = { [K in keyof T]?: NonNullable<T[K]> extends object ? DeepPartial<NonNullable<T[K]>> : T[K] }

/** Fields laid over a config file, e.g. from the command line; checked with the file. */
export type ConfigOverrides = DeepPartial<ConformanceConfigFile>

/** Published beside the package's code so editors can validate configs with `"$schema"`. */
export const configSchemaPath = joinPath(packageRoot, 'conformance', 'config.schema.json')

export interface TokenRouteConfig {
  method: string
  path: string
  signIn: { headers: Record<string, string>; cookies: Record<string, string> }
  userId: string
  companyId: string
  tokenField: string
  /** Headers and body the route's client sends, {{whopUserId}} not yet filled in. */
  request: TokenRequest
}

export interface OAuthConfig {
  startPath: string
  callbackPath: string
  profilePath: string
  /** The sign-in variant the app integrates (the table in src/eras.ts). */
  flow: SignInVariant
  clientId: string
  /** null: the runner takes the mock fixtures' first user. */
  userId: string | null
  /** Scopes the start must ask for; empty: none checked. */
  scope: string[]
  /** app.baseUrl + callbackPath: the redirect_uri the app must send and the mock must have registered. */
  redirectUri: string
  start: SignInStart
  signedIn: SignedInRule
  /** false: an identity-only app, which keeps its own session and not the user's Whop tokens. */
  keepsTokens: boolean
  /** The start's parameters that name where to go after sign-in (the open-redirect case sets them). */
  returnToParams: string[]
}

/** App mode: the runner drives an app that talks to a mock it controls. */
export interface AppModeConfig {
  mode: 'app'
  app: {
    baseUrl: string
    /** baseUrl's origin and its aliases' (same scheme and port): every origin that is this app. */
    origins: string[]
    start: string | null
    cwd: string
    env: Record<string, string>
    readyPath: string
    startTimeoutMs: number
    /** How the app is routed to the mock at Whop's real URLs (app.intercept); null: not at all. */
    intercept: 'preload' | 'proxy' | null
  }
  /** `url` null: the runner starts a mock on `port`. */
  mock: { url: string | null; port: number; fixtures: string | null; apiKey: string | null }
  tokenRoute: TokenRouteConfig | null
  oauth: OAuthConfig | null
  /** The browser that drives the app's pages: the simulated one, or Chromium (the real-browser mode). */
  browser: { engine: 'simulated' | 'chromium'; executablePath: string }
}

/** Server mode: the runner calls a Whop-compatible server directly. Unset credentials default to the mock's fixtures. */
export interface ServerModeConfig {
  mode: 'server'
  server: { url: string; apiKey: string | null; companyId: string | null; userId: string | null; ungrantedAction: string }
}

export type ConformanceConfig = AppModeConfig | ServerModeConfig

import { ConfigError } from '../errors/startup.js'

export { ConfigError }

let validate: ValidateFunction<ConformanceConfigFile> | undefined

function validator(): ValidateFunction<ConformanceConfigFile> {
  validate ??= createAjv().compile<ConformanceConfigFile>(JSON.parse(readFileSync(configSchemaPath, 'utf8')) as object)
  return validate
}

/** One ajv error as "field problem", the field dotted: a config author reads patterns bare. */
function describe(error: ErrorObject): ConfigError {
  const problem = describeSchemaError(error, { patterns: 'bare' })
  // The schema's one `not`: a request body is JSON or a form.
  const words = error.keyword === 'not' ? 'takes json or form, not both' : problem.words
  return new ConfigError(problem.at.join('.') || '(config)', words)
}

/** Check a parsed config against the schema; the first problem is thrown. */
export function checkConfigShape(value: unknown): ConformanceConfigFile {
  const check = validator()
  if (!check(value)) throw describe(check.errors![0]!)
  return value
}

/** A config file's JSON, not yet checked against the schema. */
export function readConfigFile(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError('--config', `cannot be read: ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new ConfigError('--config', `is not valid JSON: ${(error as Error).message}`)
  }
}

/** Overlay `over` on `base`, object by object; an undefined value leaves the base alone. */
function overlay<T>(base: T, over: unknown): T {
  if (over === undefined) return base
  if (over === null || typeof over !== 'object' || Array.isArray(over) || base === null || typeof base !== 'object') return over as T
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) }
  for (const [key, value] of Object.entries(over)) out[key] = overlay(out[key], value)
  return out as T
}

export interface LoadConfigInput {
  /** A config file; relative paths in it resolve from its directory. */
  file?: string | undefined
  /** Fields from the command line, laid over the file (same shape). */
  overrides?: ConfigOverrides | undefined
  /** Directory for relative paths when there is no file. Default process.cwd(). */
  cwd?: string | undefined
}

/** Read, overlay, validate and resolve a configuration. Throws ConfigError. */
export function loadConfig(input: LoadConfigInput): ConformanceConfig {
  const fromFile: unknown = input.file === undefined ? {} : readConfigFile(input.file)
  const base = input.file === undefined ? (input.cwd ?? process.cwd()) : dirname(resolve(input.file))
  return resolveConfig(checkConfigShape(overlay(fromFile, input.overrides)), base)
}

/** Server mode is chosen by a server URL; anything else is app mode. Also reads a config not yet checked. */
export function isServerMode(file: unknown): boolean {
  const server: unknown = typeof file === 'object' && file !== null && 'server' in file ? file.server : undefined
  return typeof server === 'object' && server !== null && 'url' in server && server.url !== undefined
}

/** Defaults, relative paths and the cross-field rules the schema cannot say. */
export function resolveConfig(file: ConformanceConfigFile, baseDir: string): ConformanceConfig {
  // The schema makes server.url required, so a server section is server mode (isServerMode).
  if (file.server !== undefined) {
    if (file.browser !== undefined) throw new ConfigError('browser', 'applies only to app mode; server mode drives no pages')
    const s = file.server
    return {
      mode: 'server',
      server: {
        url: s.url.replace(/\/+$/, ''),
        apiKey: s.apiKey ?? null,
        companyId: s.companyId ?? null,
        userId: s.userId ?? null,
        ungrantedAction: s.ungrantedAction ?? 'company:balance:read',
      },
    }
  }
  if (file.app === undefined) throw new ConfigError('app.baseUrl', 'is required (or give server.url for server mode)')
  if (file.tokenRoute === undefined && file.oauth === undefined)
    throw new ConfigError('tokenRoute', 'or oauth is required: name at least one part your app integrates')
  const app = file.app
  const mock = file.mock ?? {}
  if (mock.url !== undefined && (mock.port !== undefined || mock.fixtures !== undefined)) {
    throw new ConfigError(
      mock.port !== undefined ? 'mock.port' : 'mock.fixtures',
      'applies only to a mock the runner starts; it cannot be used with mock.url',
    )
  }
  if (app.intercept !== undefined && app.start === undefined)
    throw new ConfigError('app.intercept', 'applies only to an app the runner starts; give app.start')
  const route = file.tokenRoute
  const baseUrl = app.baseUrl.replace(/\/+$/, '')
  const oauth = file.oauth
  return {
    mode: 'app',
    app: {
      baseUrl,
      origins: appOrigins(baseUrl, app.aliases),
      start: app.start ?? null,
      cwd: resolve(baseDir, app.cwd ?? '.'),
      env: app.env ?? {},
      readyPath: app.readyPath ?? '/',
      startTimeoutMs: app.startTimeoutMs ?? 15_000,
      intercept: app.intercept ?? null,
    },
    mock: {
      url: mock.url?.replace(/\/+$/, '') ?? null,
      // A runner-started app is told where the mock is; an app started by hand expects the usual port.
      port: mock.port ?? (app.start === undefined ? 4010 : 0),
      fixtures: mock.fixtures === undefined ? null : resolve(baseDir, mock.fixtures),
      apiKey: mock.apiKey ?? null,
    },
    tokenRoute:
      route === undefined
        ? null
        : {
            method: route.method ?? 'POST',
            path: route.path,
            signIn: { headers: route.signIn?.headers ?? {}, cookies: route.signIn?.cookies ?? {} },
            userId: route.userId,
            companyId: route.companyId,
            tokenField: route.tokenField ?? 'token',
            request: tokenRequest(route),
          },
    oauth:
      oauth === undefined
        ? null
        : {
            startPath: oauth.startPath,
            callbackPath: oauth.callbackPath,
            profilePath: oauth.profilePath,
            flow: oauth.flow,
            clientId: oauth.clientId,
            // The same person signs in to the app and calls its token route, unless the config says otherwise.
            userId: oauth.userId ?? route?.userId ?? null,
            scope: (oauth.scope ?? '').split(/\s+/).filter(Boolean),
            redirectUri: `${baseUrl}${oauth.callbackPath}`,
            start: signInStart(oauth),
            signedIn: signedInRule(oauth),
            keepsTokens: oauth.keepsTokens ?? true,
            returnToParams: oauth.returnToParams ?? ['next', 'returnTo', 'redirect'],
          },
    browser: {
      engine: file.browser?.engine ?? 'simulated',
      executablePath: resolve(baseDir, file.browser?.executablePath ?? DEBIAN_CHROMIUM),
    },
  }
}
