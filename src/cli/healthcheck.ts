/**
 * `whop-auth-mock healthcheck`: exit 0 when a running mock answers GET /_mock/health with 200
 * and status `ok`, else 1 (a replica whose shared Redis is away answers `degraded`: it cannot
 * serve state, so it is unhealthy), printing one line either way. It is what the Docker image's HEALTHCHECK runs, so the
 * image needs neither curl nor wget.
 */
import { get as httpGet } from 'node:http'
import { get as httpsGet } from 'node:https'
import { UsageError } from '../errors/startup.js'
import { integerOption, parseOptions, renderHelp, type OptionTable } from './option-table.js'

export const HEALTH_PATH = '/_mock/health'

export const healthcheckOptions: OptionTable = {
  url: { type: 'string', value: '<url>', description: 'Base URL of the mock, e.g. http://whop-mock:4010; default: from --host and --port' },
  port: { type: 'string', value: '<port>', env: 'PORT', default: '4010', description: 'Port the mock listens on' },
  host: {
    type: 'string',
    value: '<address>',
    env: 'HOST',
    default: '127.0.0.1',
    description: 'Address the mock binds; a wildcard (0.0.0.0, ::) is checked on loopback',
  },
  tls: { type: 'boolean', env: 'WHOP_MOCK_TLS', description: 'The mock serves HTTPS (as serve --tls): probe https' },
  timeout: { type: 'string', value: '<ms>', default: '3000', description: 'Milliseconds to wait for the answer' },
  'control-token': {
    type: 'string',
    value: '<token>',
    env: 'WHOP_MOCK_CONTROL_TOKEN',
    description: "The mock's control token, sent as Bearer (health answers without it; sent so a proxy in front may demand it)",
  },
}

export const healthcheckHelp = () =>
  renderHelp(
    'whop-auth-mock healthcheck [options]',
    `Exit 0 if the mock answers GET ${HEALTH_PATH} with 200 and is not degraded, else 1 (for Docker HEALTHCHECK and CI services).`,
    healthcheckOptions,
  )

/** Where to look: the serve settings name a bind address, which for a wildcard is not a destination. */
function healthUrl(values: Record<string, string | boolean | undefined>): string {
  if (values.url !== undefined) {
    let base: URL
    try {
      base = new URL(values.url as string)
    } catch {
      throw new UsageError(`--url must be an absolute URL, got ${JSON.stringify(values.url)}`)
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UsageError(`--url must be http(s), got ${values.url as string}`)
    return `${base.origin}${base.pathname.replace(/\/+$/, '')}${HEALTH_PATH}`
  }
  const port = integerOption('port', values.port, 1, 65535)!
  const bind = (values.host as string).replace(/^\[(.*)\]$/, '$1')
  const host = bind === '0.0.0.0' || bind === '' ? '127.0.0.1' : bind === '::' ? '::1' : bind
  const scheme = values.tls === true ? 'https' : 'http'
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${HEALTH_PATH}`
}

/** The health answer's `status` and `version`, when its body is JSON holding them. */
function healthIn(body: string): { status: string | undefined; version: string | undefined } {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined)
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed !== 'object' || parsed === null) return { status: undefined, version: undefined }
    return { status: text(Reflect.get(parsed, 'status')), version: text(Reflect.get(parsed, 'version')) }
  } catch {
    return { status: undefined, version: undefined }
  }
}

function reason(error: unknown): string {
  const err = error as NodeJS.ErrnoException
  return err.code ?? err.message
}

/**
 * One GET with a deadline. The certificate is not verified: the mock's own is self-signed,
 * and a health probe asks whether it answers, not who it is.
 */
function probe(url: string, timeoutMs: number, controlToken: string | undefined): Promise<{ status: number; body: string }> {
  const get = url.startsWith('https:') ? httpsGet : httpGet
  const headers = controlToken === undefined || controlToken === '' ? {} : { authorization: `Bearer ${controlToken}` }
  return new Promise((resolve, reject) => {
    const request = get(url, { timeout: timeoutMs, rejectUnauthorized: false, headers }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
      response.on('error', reject)
    })
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    request.on('error', reject)
  })
}

export async function healthcheck(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let url: string
  let timeoutMs: number
  let controlToken: string | undefined
  try {
    const { values } = parseOptions(healthcheckOptions, argv, env)
    if (values.help) {
      process.stdout.write(healthcheckHelp())
      return 0
    }
    url = healthUrl(values)
    timeoutMs = integerOption('timeout', values.timeout, 1, 600_000)!
    controlToken = typeof values['control-token'] === 'string' ? values['control-token'] : undefined
  } catch (error) {
    // Docker reserves exit code 2 of a HEALTHCHECK, so a bad option is a plain failure here.
    if (!(error instanceof UsageError)) throw error
    process.stderr.write(`whop-auth-mock healthcheck: ${error.message}\n`)
    return 1
  }
  try {
    const response = await probe(url, timeoutMs, controlToken)
    const body = response.body
    if (response.status !== 200) {
      process.stderr.write(`unhealthy: ${url} answered ${response.status}\n`)
      return 1
    }
    const { status, version } = healthIn(body)
    if (status === 'degraded') {
      process.stderr.write(`unhealthy: ${url} answered 200 with status degraded (its shared state store cannot be reached)\n`)
      return 1
    }
    process.stdout.write(`healthy: ${url} answered 200${version === undefined ? '' : ` (whop-auth-mock ${version})`}\n`)
    return 0
  } catch (error) {
    process.stderr.write(`unhealthy: ${url} ${reason(error)}\n`)
    return 1
  }
}
