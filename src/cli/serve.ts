/** `whop-auth-mock serve`: start the mock and print where it is and what to paste. */
import { DEFAULT_JOURNAL_BYTES, DEFAULT_MAX_GRANTS, DEFAULT_MAX_TENANTS, LOG_LEVELS, type LogLevel } from '../options.js'
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMockServer, type MockServer, type MockServerOptions } from '../index.js'
import { packageVersion } from '../paths.js'
import { legacyKeyNote } from '../state/key-formats.js'
import { applyServeHeapSettings } from './heap-settings.js'
import { UsageError } from '../errors/startup.js'
import { integerOption, parseOptions, renderHelp, type OptionTable } from './option-table.js'
import { exposureWarning, proxyExposureWarning } from '../http/allowed-hosts.js'
import { proxyBanner, proxyOption, proxyOptionTable } from './proxy-options.js'

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

/** How long a stop waits for in-flight requests; under `docker stop`'s default 10 s. */
const DRAIN_GRACE_MS = 5000

/** Write a self-signed certificate where clients can be told to trust it; it is removed when serve stops. */
function saveCertificate(mock: MockServer): string | null {
  if (mock.tlsCertificate === null) return null
  const file = join(tmpdir(), `whop-auth-mock-${new URL(mock.url).port}.pem`)
  writeFileSync(file, mock.tlsCertificate)
  return file
}

function tlsOption(values: Record<string, string | boolean | undefined>): MockServerOptions['tls'] {
  const cert = values['tls-cert'] as string | undefined
  const key = values['tls-key'] as string | undefined
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

function banner(mock: MockServer, certificateFile: string | null, warnings: (string | null)[]): string {
  return [
    ...warnings.filter((warning) => warning !== null),
    `whop-auth-mock ${packageVersion} listening on ${mock.url}`,
    `  public URL ${mock.publicUrl}, issuer ${mock.issuer}`,
    '',
    "Paste into your app's environment (fixture credentials, not secrets):",
    `  WHOP_BASE_URL=${mock.env.WHOP_BASE_URL}`,
    `  WHOP_API_KEY=${mock.env.WHOP_API_KEY}`,
    `  WHOP_USER_TOKEN_JWKS_URL=${mock.env.WHOP_USER_TOKEN_JWKS_URL}`,
    '',
    `Control API: ${mock.publicUrl}/_mock/health · fixtures: ${mock.publicUrl}/_mock/fixtures`,
    ...(certificateFile === null ? [] : [`TLS certificate: ${certificateFile} (trust it with NODE_EXTRA_CA_CERTS=${certificateFile})`]),
    '',
    ...proxyBanner(mock),
  ].join('\n')
}

/** Start the server and keep it until SIGINT/SIGTERM; resolves with the exit code. */
export async function serve(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseOptions(serveOptions, argv, env)
  if (values.help) {
    process.stdout.write(serveHelp())
    return 0
  }
  const logLevel = values['log-level'] as LogLevel
  if (!LOG_LEVELS.includes(logLevel))
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`)
  applyServeHeapSettings(process.execArgv, env.NODE_OPTIONS)
  const maxConnections = integerOption('max-connections', values['max-connections'], 1, 1_000_000)
  const proxy = proxyOption(values)
  const mock = await startMockServer({
    port: integerOption('port', values.port, 0, 65535)!,
    host: values.host as string,
    ...(values.fixtures !== undefined && { fixtures: values.fixtures as string }),
    ...(values.issuer !== undefined && { issuer: values.issuer as string }),
    ...(values['public-url'] !== undefined && { publicUrl: values['public-url'] as string }),
    ...(values['key-file'] !== undefined && { keyFile: values['key-file'] as string }),
    journalSize: integerOption('journal-size', values['journal-size'], 1, 1_000_000)!,
    journalBytes: integerOption('journal-bytes', values['journal-bytes'], 64 * 1024, 1024 * 1024 * 1024)!,
    maxGrants: integerOption('max-grants', values['max-grants'], 100, 1_000_000)!,
    ...(maxConnections !== undefined && { maxConnections }),
    headersTimeoutMs: integerOption('headers-timeout', values['headers-timeout'], 100, 600_000)!,
    autoApprove: values['auto-approve'] === true,
    maxTenants: integerOption('max-tenants', values['max-tenants'], 1, 100_000)!,
    keyPerTenant: values['key-per-tenant'] === true,
    ...(values['state-file'] !== undefined && { stateFile: values['state-file'] as string }),
    ...(typeof values['redis-url'] === 'string' && values['redis-url'] !== '' && { redisUrl: values['redis-url'] }),
    strictScopes: values['strict-scopes'] === true,
    allowOpenidWithoutNonce: values['allow-openid-without-nonce'] === true,
    revokeGrantOnRefreshReuse: values['keep-grant-on-refresh-reuse'] !== true,
    ...(typeof values['control-token'] === 'string' && values['control-token'] !== '' && { controlToken: values['control-token'] }),
    allowedHosts: listOption(values['allowed-hosts']),
    tls: tlsOption(values),
    ...(proxy !== undefined && { proxy }),
    logLevel,
  })
  const certificateFile = saveCertificate(mock)
  const warnings = [
    exposureWarning(values.host as string, mock.controlLocked ? 'set' : undefined),
    proxy === undefined ? null : proxyExposureWarning(proxy.host ?? '127.0.0.1'),
  ]
  process.stdout.write(banner(mock, certificateFile, warnings))
  const deprecation = legacyKeyNote(mock.fixtures())
  if (deprecation !== null) process.stderr.write(`${deprecation}\n`)
  return new Promise((settle) => {
    // The certificate file belongs to this run; the next one writes its own.
    const resolve = (code: number) => {
      if (certificateFile !== null) rmSync(certificateFile, { force: true })
      settle(code)
    }
    let stopping = false
    const stop = (signal: NodeJS.Signals) => {
      // A second signal, or a request still stalled (a delay fault may last minutes) after the
      // grace period, ends the process without waiting: the exit code says it was not clean.
      if (stopping) {
        process.stderr.write(`whop-auth-mock: ${signal} while stopping: exiting without waiting for in-flight requests\n`)
        return resolve(1)
      }
      stopping = true
      process.stdout.write(`${signal}: stopping\n`)
      const deadline = setTimeout(() => {
        process.stderr.write(`whop-auth-mock: requests still in flight ${DRAIN_GRACE_MS / 1000} s after ${signal}; exiting without them\n`)
        resolve(1)
      }, DRAIN_GRACE_MS)
      mock
        .close()
        .then(
          () => resolve(0),
          (error: unknown) => {
            process.stderr.write(`whop-auth-mock: stopping failed: ${error instanceof Error ? error.message : String(error)}\n`)
            resolve(1)
          },
        )
        .finally(() => clearTimeout(deadline))
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
