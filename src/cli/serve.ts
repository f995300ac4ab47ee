/** `whop-auth-mock serve`: start the mock and print where it is and what to paste. */
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMockServer, type MockServer } from '../index.js'
import { packageVersion } from '../paths.js'
import { legacyKeyNote } from '../state/key-formats.js'
import { applyServeHeapSettings } from './heap-settings.js'
import { parseOptions } from './option-table.js'
import { exposureWarning, proxyExposureWarning } from '../http/allowed-hosts.js'
import { proxyBanner, proxyOption } from './proxy-options.js'
import { mockServerOptions, serveHelp, serveOptions } from './serve-options.js'

export { serveHelp, serveOptions }

/** How long a stop waits for in-flight requests; under `docker stop`'s default 10 s. */
const DRAIN_GRACE_MS = 5000

/** Write a self-signed certificate where clients can be told to trust it; it is removed when serve stops. */
function saveCertificate(mock: MockServer): string | null {
  if (mock.tlsCertificate === null) return null
  const file = join(tmpdir(), `whop-auth-mock-${new URL(mock.url).port}.pem`)
  writeFileSync(file, mock.tlsCertificate)
  return file
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
  applyServeHeapSettings(process.execArgv, env.NODE_OPTIONS)
  const proxy = proxyOption(values)
  const options = mockServerOptions(values, proxy)
  const mock = await startMockServer(options)

  const certificateFile = saveCertificate(mock)
  const warnings = [
    exposureWarning(options.host ?? '127.0.0.1', mock.controlLocked ? 'set' : undefined),
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
