/** Options of a mock server, their defaults, and the checks that reject bad values at build time. */
import { OptionError } from './errors/startup.js'
import { defaultMaxConnections } from './open-file-limit.js'
import type { WorldData } from './world.js'

/** Default memory for the journal's entries, in bytes (counted as characters of the stored strings). */
export const DEFAULT_JOURNAL_BYTES = 16 * 1024 * 1024
/** Default memory for the journals of all tenants together: four full journals. */
export const DEFAULT_JOURNAL_TOTAL_BYTES = 64 * 1024 * 1024
/** Codes, grants and refresh tokens a tenant keeps, each. */
export const DEFAULT_MAX_GRANTS = 5000

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface MockServerOptions {
  /** TCP port; 0 picks a free one. Default 4010. */
  port?: number
  /** Bind address. Default 127.0.0.1. */
  host?: string
  /** A fixture file path, or fixture data. Default: the built-in fixtures/default.json. */
  fixtures?: string | WorldData
  /** `iss` of every token the mock signs (but iframe user tokens). Default: the public URL. */
  issuer?: string
  /** The URL the mock advertises (discovery, banner). Default: the URL it listens on. */
  publicUrl?: string
  /** Keep the signing key in this file (created when absent), so tokens verify across restarts. */
  keyFile?: string
  /** Default 'silent' for the library, 'info' for the CLI. */
  logLevel?: LogLevel
  /** Journal capacity in entries. Default 1000. */
  journalSize?: number
  /**
   * Codes, grants and refresh tokens one tenant keeps (each kind); past it the oldest is forgotten.
   * Default 5000: a CI run never comes near it, and a load test's memory stays flat.
   */
  maxGrants?: number
  /** Journal capacity in bytes (bodies are cut to 8 KiB each); the oldest entries go first. Default 16 MiB. */
  journalBytes?: number
  /**
   * Memory for the journals of all tenants together, in bytes; past it the fullest journal drops
   * its oldest entries first. Default 64 MiB. (Redis replicas keep journals in Redis instead.)
   */
  journalTotalBytes?: number
  /**
   * Connections served at once; more are closed as they arrive. Default: the process's open-file
   * limit less 128 (for files, the journal and the logs), at most 10,000; 896 under the usual 1,024.
   */
  maxConnections?: number
  /** Milliseconds a client has to send its request headers before the connection is closed. Default 10,000. */
  headersTimeoutMs?: number
  /** Largest request body in bytes. Default 1 MiB. */
  bodyLimit?: number
  /**
   * WARNING: skips the sign-in and consent page whenever an authorize request's `login_hint`
   * names a fixture user, which Whop never does for a first sign-in. Default false.
   */
  autoApprove?: boolean
  /**
   * Refuse (invalid_scope) a well-formed scope the mock does not know, instead of granting it
   * as undescribed. Default false: Whop's list of permissions is not closed.
   */
  strictScopes?: boolean
  /**
   * WARNING: accept `openid` without `nonce` at authorize, for clients such as passport-oauth2
   * that cannot send one. Whop is reported to require it [T4, T6]. Default false.
   */
  allowOpenidWithoutNonce?: boolean
  /**
   * A rotated-out refresh token presented again revokes its whole grant (RFC 9700 §4.14.2, the
   * mock's reading of Whop's "replay revokes" rule). Default true.
   */
  revokeGrantOnRefreshReuse?: boolean
  /**
   * Lock the control API: every `/_mock/*` call but `/_mock/health` must send
   * `Authorization: Bearer <token>` (or `x-mock-control-token`). Default: open.
   */
  controlToken?: string
  /**
   * `Host` names served besides loopback names, the bind address and the public URL's host;
   * `'*'` serves any (which re-opens DNS rebinding). Default none.
   */
  allowedHosts?: string[]
  /** Serve HTTPS: `true` for a self-signed certificate made at start, or PEM files. */
  tls?: boolean | { certFile: string; keyFile: string }
  /** Most named tenants kept at once (`/t/{tenant}/…`); past it the least recently used is dropped. Default 100. */
  maxTenants?: number
  /** Give each named tenant its own signing key (and JWKS) instead of sharing the server's. Default false. */
  keyPerTenant?: boolean
  /**
   * Load every tenant's state from this file at start (a missing file is an empty start) and
   * write it back at close(), atomically. Pair it with keyFile so access tokens verify after a restart.
   */
  stateFile?: string
  /**
   * Also listen as an HTTP proxy: requests to Whop's hosts (CONNECT, with TLS ended by a
   * certificate from the proxy's CA, or plain HTTP) are served by this mock; others get a 502
   * page, or a tunnel with `passthrough`. Binds 127.0.0.1 unless `host` says otherwise.
   */
  proxy?: ProxyOptions
  /**
   * Keep every tenant's state in this Redis (or Valkey), e.g. `redis://127.0.0.1:6379/0`, so
   * several mock processes behind one load balancer act as one mock. Default: in memory.
   */
  redisUrl?: string
}

/** The HTTP proxy for Whop's hosts (`proxy`, `serve --proxy-port`). */
export interface ProxyOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number
  /** Bind address. Default 127.0.0.1. */
  host?: string
  /** Tunnel hosts other than Whop's instead of refusing them. Default false. */
  passthrough?: boolean
  /** Sign with this CA instead of one made at start. */
  ca?: { certFile: string; keyFile: string }
  /** Connections served at once. Default 1000. */
  maxConnections?: number
}

export interface ResolvedOptions {
  port: number
  host: string
  fixtures: string | WorldData | undefined
  issuer: string | undefined
  publicUrl: string | undefined
  keyFile: string | undefined
  logLevel: LogLevel
  journalSize: number
  journalBytes: number
  journalTotalBytes: number
  maxGrants: number
  maxConnections: number
  headersTimeoutMs: number
  bodyLimit: number
  autoApprove: boolean
  strictScopes: boolean
  allowOpenidWithoutNonce: boolean
  revokeGrantOnRefreshReuse: boolean
  controlToken: string | undefined
  allowedHosts: string[]
  tls: false | true | { certFile: string; keyFile: string }
  maxTenants: number
  keyPerTenant: boolean
  stateFile: string | undefined
  proxy: ProxyOptions | null
  redisUrl: string | undefined
}

/**
 * Default tenant limit, from measured RSS (npm run bench -- --tenants): an idle tenant costs about
 * 20 KiB, but one whose journal is full of token requests about 15 MB. A hundred covers the
 * workers of any CI machine several times over and costs 2 MB idle; the journals of all tenants
 * together are bounded apart (`journalTotalBytes`, default 64 MiB), so a full tenant costs no more.
 */
export const DEFAULT_MAX_TENANTS = 100

function checkUrl(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new OptionError(`${name} must be an absolute URL, got ${JSON.stringify(value)}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OptionError(`${name} must be http(s), got ${value}`)
  // No trailing slash: Whop's issuer is exactly https://api.whop.com [T2], and clients compare it exactly.
  return value.replace(/\/+$/, '')
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new OptionError(`${name} must be an integer from ${min} to ${max}, got ${value}`)
  return value
}

function checkControlToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined
  if (!/^[\x21-\x7e]{8,256}$/.test(token)) throw new OptionError('controlToken must be 8 to 256 visible ASCII characters, no spaces')
  return token
}

function checkAllowedHosts(hosts: string[]): string[] {
  const bad = hosts.find((host) => !/^(\*|[a-z0-9.:[\]-]+)$/i.test(host))
  if (bad !== undefined) throw new OptionError(`allowedHosts must be host names or addresses (or *), got ${JSON.stringify(bad)}`)
  return hosts
}

export function resolveOptions(options: MockServerOptions = {}): ResolvedOptions {
  const logLevel = options.logLevel ?? 'silent'
  if (!LOG_LEVELS.includes(logLevel)) throw new OptionError(`logLevel must be one of ${LOG_LEVELS.join(', ')}, got ${String(logLevel)}`)
  return {
    port: checkInteger('port', options.port ?? 4010, 0, 65535),
    host: options.host ?? '127.0.0.1',
    fixtures: options.fixtures,
    issuer: checkUrl('issuer', options.issuer),
    publicUrl: checkUrl('publicUrl', options.publicUrl),
    keyFile: options.keyFile,
    logLevel,
    journalSize: checkInteger('journalSize', options.journalSize ?? 1000, 1, 1_000_000),
    journalBytes: checkInteger('journalBytes', options.journalBytes ?? DEFAULT_JOURNAL_BYTES, 64 * 1024, 1024 * 1024 * 1024),
    journalTotalBytes: checkInteger(
      'journalTotalBytes',
      options.journalTotalBytes ?? DEFAULT_JOURNAL_TOTAL_BYTES,
      64 * 1024,
      8 * 1024 * 1024 * 1024,
    ),
    maxGrants: checkInteger('maxGrants', options.maxGrants ?? DEFAULT_MAX_GRANTS, 100, 1_000_000),
    maxConnections: checkInteger('maxConnections', options.maxConnections ?? defaultMaxConnections(), 1, 1_000_000),
    headersTimeoutMs: checkInteger('headersTimeoutMs', options.headersTimeoutMs ?? 10_000, 100, 600_000),
    bodyLimit: checkInteger('bodyLimit', options.bodyLimit ?? 1024 * 1024, 1024, 100 * 1024 * 1024),
    autoApprove: options.autoApprove ?? false,
    strictScopes: options.strictScopes ?? false,
    allowOpenidWithoutNonce: options.allowOpenidWithoutNonce ?? false,
    revokeGrantOnRefreshReuse: options.revokeGrantOnRefreshReuse ?? true,
    controlToken: checkControlToken(options.controlToken),
    allowedHosts: checkAllowedHosts(options.allowedHosts ?? []),
    tls: options.tls ?? false,
    maxTenants: checkInteger('maxTenants', options.maxTenants ?? DEFAULT_MAX_TENANTS, 1, 100_000),
    keyPerTenant: options.keyPerTenant ?? false,
    stateFile: options.stateFile,
    proxy: options.proxy ?? null,
    redisUrl: checkRedisUrl(options),
  }
}

/** Replicas share one state and one key: a state file or a key per tenant would give each its own. */
function checkRedisUrl(options: MockServerOptions): string | undefined {
  const url = options.redisUrl
  if (url === undefined) return undefined
  if (!/^rediss?:\/\//.test(url)) throw new OptionError(`redisUrl must start with redis:// or rediss://, got ${JSON.stringify(url)}`)
  if (options.stateFile !== undefined) throw new OptionError('stateFile cannot be used with redisUrl: Redis keeps the state')
  if (options.keyPerTenant === true)
    throw new OptionError('keyPerTenant cannot be used with redisUrl: every replica must sign with the same keys')
  return url
}
