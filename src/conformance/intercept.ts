/**
 * `app.intercept`: what the runner adds to the environment of the app it starts so that calls to
 * Whop's real URLs reach this run's mock. `preload` loads the package's Node preload; `proxy`
 * starts the HTTPS proxy for Whop's hosts in front of the mock (its tenant included) for the run.
 */
import { SetupError } from '../errors/startup.js'
import { httpUpstream } from '../proxy/upstream.js'

export interface Interception {
  env: Record<string, string>
  close(): Promise<void>
}

const NONE: Interception = { env: {}, close: async () => {} }

/** The preload as the app's Node resolves it: this package's own file when it resolves, else the package specifier. */
function preloadSpecifier(): string {
  try {
    return import.meta.resolve('whop-auth-mock/register')
  } catch {
    return 'whop-auth-mock/register'
  }
}

function preload(mockUrl: string): Interception {
  const inherited = process.env.NODE_OPTIONS ?? ''
  return { env: { NODE_OPTIONS: `${inherited} --import=${preloadSpecifier()}`.trim(), WHOP_MOCK_URL: mockUrl }, close: NONE.close }
}

async function proxy(mockUrl: string): Promise<Interception> {
  // Loaded on demand: only a proxy run needs the certificate library.
  const { startWhopProxy } = await import('../proxy/start.js')
  let started
  try {
    started = await startWhopProxy({ port: 0 }, httpUpstream(mockUrl))
  } catch (error) {
    throw new SetupError(`cannot start the proxy for app.intercept: ${(error as Error).message}`)
  }
  const loopback = 'localhost,127.0.0.1,::1'
  return {
    env: {
      HTTPS_PROXY: started.url,
      HTTP_PROXY: started.url,
      https_proxy: started.url,
      http_proxy: started.url,
      NO_PROXY: loopback,
      no_proxy: loopback,
      REQUESTS_CA_BUNDLE: started.caBundleFile,
      SSL_CERT_FILE: started.caBundleFile,
      NODE_EXTRA_CA_CERTS: started.caFile,
    },
    close: () => started.close(),
  }
}

/** The interception a run's app gets, from `app.intercept`; close it after the app stops. */
export async function interceptionFor(kind: 'preload' | 'proxy' | null, mockUrl: string): Promise<Interception> {
  if (kind === 'preload') return preload(mockUrl)
  if (kind === 'proxy') return proxy(mockUrl)
  return NONE
}
