/** The `serve` command's options: the table that parses and documents them, and their translation into the library's. */
import {
  DEFAULT_JOURNAL_BYTES,
  DEFAULT_JOURNAL_TOTAL_BYTES,
  DEFAULT_MAX_GRANTS,
  DEFAULT_MAX_TENANTS,
  LOG_LEVELS,
  type LogLevel,
} from '../options.js'
import type { MockServerOptions, ProxyOptions } from '../index.js'
import { UsageError } from '../errors/startup.js'
import { integerOption, renderHelp, type OptionTable, type ParsedOptions } from './option-table.js'
import { proxyOptionTable } from './proxy-options.js'

export const serveOptions: OptionTable = {
  port: { type: 'string', value: '<port>', env: 'PORT', default: '4010', description: 'Port to listen on; 0 picks a free one' },
  host: { type: 'string', value: '<address>', env: 'HOST', default: '127.0.0.1', description: 'Address to bind (0.0.0.0 in a container)' },
  fixtures: {
    type: 'string',
    value: '<file>',
    env: 'WHOP_MOCK_FIXTURES',
    description: 'Fixture file (companies, users, apps, API keys); default: the built-in fixtures',
  },
  issuer: { type: 'string', value: '<url>', env: 'WHOP_MOCK_ISSUER', description: '`iss` of every token; default: the public URL' },
  'public-url': {
    type: 'string',
    value: '<url>',
    env: 'PUBLIC_URL',
    description: 'URL the mock advertises (discovery, banner); default: where it listens',
  },
  'key-file': {
    type: 'string',
    value: '<file>',
    env: 'WHOP_MOCK_KEY_FILE',
    description: 'Keep the ES256 signing key here (created if absent) so tokens verify across restarts',
  },
  'log-level': {
    type: 'string',
    value: '<level>',
    env: 'WHOP_MOCK_LOG_LEVEL',
    default: 'info',
    description: `One of ${LOG_LEVELS.join(', ')}`,
  },
  'auto-approve': {
    type: 'boolean',
    env: 'WHOP_MOCK_AUTO_APPROVE',
    description: 'WARNING: skip the sign-in page when login_hint names a fixture user (headless tests)',
  },
  'strict-scopes': {
    type: 'boolean',
    env: 'WHOP_MOCK_STRICT_SCOPES',
    description: 'Refuse a well-formed scope the mock does not know (invalid_scope) instead of granting it as undescribed',
  },
  'allow-openid-without-nonce': {
    type: 'boolean',
    env: 'WHOP_MOCK_ALLOW_OPENID_WITHOUT_NONCE',
    description: 'WARNING: accept openid without nonce at authorize (Whop is reported to refuse it), for clients that cannot send one',
  },
  'keep-grant-on-refresh-reuse': {
    type: 'boolean',
    env: 'WHOP_MOCK_KEEP_GRANT_ON_REFRESH_REUSE',
    description: 'A rotated-out refresh token presented again is refused but no longer revokes its grant (RFC 9700 §4.14.2 says revoke)',
  },
  'control-token': {
    type: 'string',
    value: '<token>',
    env: 'WHOP_MOCK_CONTROL_TOKEN',
    description: 'Lock the control API: every /_mock/ call but health must send Authorization: Bearer <token>',
  },
  'allowed-hosts': {
    type: 'string',
    value: '<names>',
    env: 'WHOP_MOCK_ALLOWED_HOSTS',
    description: 'Comma-separated Host names served besides loopback, the bind address and the public URL host (* serves any)',
  },
  tls: {
    type: 'boolean',
    env: 'WHOP_MOCK_TLS',
    description: 'Serve HTTPS with a self-signed certificate made at start (or --tls-cert/--tls-key)',
  },
  'tls-cert': { type: 'string', value: '<file>', env: 'WHOP_MOCK_TLS_CERT', description: 'PEM certificate for HTTPS (with --tls-key)' },
  'tls-key': { type: 'string', value: '<file>', env: 'WHOP_MOCK_TLS_KEY', description: 'PEM private key for HTTPS (with --tls-cert)' },
  'journal-size': {
    type: 'string',
    value: '<n>',
    env: 'WHOP_MOCK_JOURNAL_SIZE',
    default: '1000',
    description: 'Requests kept in the journal (of each tenant)',
  },
  'max-tenants': {
    type: 'string',
    value: '<n>',
    env: 'WHOP_MOCK_MAX_TENANTS',
    default: String(DEFAULT_MAX_TENANTS),
    description: 'Named tenants (/t/<name>/...) kept at once; past it the least recently used is dropped',
  },
  'state-file': {
    type: 'string',
    value: '<file>',
    env: 'WHOP_MOCK_STATE_FILE',
    description: "Load every tenant's state from this file at start (missing: empty start); write it at a clean stop",
  },
  'redis-url': {
    type: 'string',
    value: '<url>',
    env: 'WHOP_MOCK_REDIS_URL',
    description: 'Keep all state in this Redis (redis://host:port/db) so several mock processes act as one',
  },
  'key-per-tenant': {
    type: 'boolean',
    env: 'WHOP_MOCK_KEY_PER_TENANT',
    description: 'Give each named tenant its own signing key (default: one key, one JWKS for all)',
  },
  'journal-bytes': {
    type: 'string',
    value: '<bytes>',
    env: 'WHOP_MOCK_JOURNAL_BYTES',
    default: String(DEFAULT_JOURNAL_BYTES),
    description: 'Memory the journal may use; each body is cut to 8 KiB and the oldest entries go first',
  },
  'journal-total-bytes': {
    type: 'string',
    value: '<bytes>',
    env: 'WHOP_MOCK_JOURNAL_TOTAL_BYTES',
    default: String(DEFAULT_JOURNAL_TOTAL_BYTES),
    description: "Memory the journals of all tenants may use together; past it the fullest journal's oldest entries go first",
  },
  'max-grants': {
    type: 'string',
    value: '<n>',
    env: 'WHOP_MOCK_MAX_GRANTS',
    default: String(DEFAULT_MAX_GRANTS),
    description: 'Codes, grants and refresh tokens each tenant keeps (each kind); the oldest are forgotten first',
  },
  'max-connections': {
    type: 'string',
    value: '<n>',
    env: 'WHOP_MOCK_MAX_CONNECTIONS',
    description: 'Connections served at once; default: the open-file limit less 128, at most 10000',
  },
  'headers-timeout': {
    type: 'string',
    value: '<ms>',
    env: 'WHOP_MOCK_HEADERS_TIMEOUT',
    default: '10000',
    description: 'Milliseconds a client has to send its request headers before it is disconnected',
  },
  ...proxyOptionTable,
}

export const serveHelp = () =>
  renderHelp(
    'whop-auth-mock serve [options]',
    "Start the mock of Whop's authentication API with its test-control API under /_mock/.",
    serveOptions,
  )

/** A string option's value when it was given (by flag, environment or default) and is not empty. */
function text(values: ParsedOptions, name: string): string | undefined {
  const value = values[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** An integer option that has a default in the table, so it always has a value. */
function integer(values: ParsedOptions, name: string, min: number, max: number): number {
  const value = integerOption(name, values[name], min, max)
  if (value === undefined) throw new UsageError(`--${name} needs a value`)
  return value
}

function tlsOption(values: ParsedOptions): MockServerOptions['tls'] {
  const cert = text(values, 'tls-cert')
  const key = text(values, 'tls-key')
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--tls-cert and --tls-key go together')
  if (cert !== undefined && key !== undefined) return { certFile: cert, keyFile: key }
  return values.tls === true
}

/** A comma-separated option as its non-empty items. */
function listOption(value: string | boolean | undefined): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
    : []
}

/** The entries that have a value: absent options stay absent, so the library's defaults apply. */
function given<K extends string>(entries: Record<K, string | undefined>): Partial<Record<K, string>> {
  const present: Partial<Record<K, string>> = {}
  for (const key in entries) {
    const value = entries[key]
    if (value !== undefined) present[key] = value
  }
  return present
}

function logLevelOption(values: ParsedOptions): LogLevel {
  const level = LOG_LEVELS.find((known) => known === values['log-level'])
  if (level === undefined)
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(values['log-level'])}`)
  return level
}

/** The library options a parsed command line asks for (`proxy` is parsed by its own table). */
export function mockServerOptions(values: ParsedOptions, proxy: ProxyOptions | undefined): MockServerOptions {
  const maxConnections = integerOption('max-connections', values['max-connections'], 1, 1_000_000)
  return {
    ...given({
      fixtures: text(values, 'fixtures'),
      issuer: text(values, 'issuer'),
      publicUrl: text(values, 'public-url'),
      keyFile: text(values, 'key-file'),
      stateFile: text(values, 'state-file'),
      redisUrl: text(values, 'redis-url'),
      controlToken: text(values, 'control-token'),
    }),
    port: integer(values, 'port', 0, 65535),
    host: text(values, 'host') ?? '127.0.0.1',
    journalSize: integer(values, 'journal-size', 1, 1_000_000),
    journalBytes: integer(values, 'journal-bytes', 64 * 1024, 1024 * 1024 * 1024),
    journalTotalBytes: integer(values, 'journal-total-bytes', 64 * 1024, 8 * 1024 * 1024 * 1024),
    maxGrants: integer(values, 'max-grants', 100, 1_000_000),
    ...(maxConnections !== undefined && { maxConnections }),
    headersTimeoutMs: integer(values, 'headers-timeout', 100, 600_000),
    autoApprove: values['auto-approve'] === true,
    maxTenants: integer(values, 'max-tenants', 1, 100_000),
    keyPerTenant: values['key-per-tenant'] === true,
    strictScopes: values['strict-scopes'] === true,
    allowOpenidWithoutNonce: values['allow-openid-without-nonce'] === true,
    revokeGrantOnRefreshReuse: values['keep-grant-on-refresh-reuse'] !== true,
    allowedHosts: listOption(values['allowed-hosts']),
    tls: tlsOption(values),
    ...(proxy !== undefined && { proxy }),
    logLevel: logLevelOption(values),
  }
}
