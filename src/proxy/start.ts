/** Start the proxy: its CA (made now or loaded), the files clients trust, the listening server. */
import { OptionError } from '../errors/startup.js'
import { loadCa, makeCa } from './ca.js'
import { realTimeMs } from '../state/clock.js'
import type { ProxyOptions } from '../options.js'
import { writeCaFiles } from './ca-files.js'
import { LeafCertificates } from './leaf-certificates.js'
import { ProxyServer } from './proxy-server.js'
import type { Upstream } from './upstream.js'

export interface WhopProxy {
  /** Where the proxy listens, e.g. http://127.0.0.1:8080: HTTPS_PROXY and HTTP_PROXY. */
  url: string
  /** The CA certificate file to trust (NODE_EXTRA_CA_CERTS, curl --cacert). */
  caFile: string
  /** Node's public roots plus the CA (REQUESTS_CA_BUNDLE, SSL_CERT_FILE), so passthrough hosts verify too. */
  caBundleFile: string
  /** The CA certificate as PEM. */
  caCertificate: string
  /** Stop listening, close tunnels and remove the CA files written at start. */
  close(): Promise<void>
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new OptionError(`proxy port must be an integer from 0 to 65535, got ${port}`)
  return port
}

export async function startWhopProxy(options: ProxyOptions, upstream: Upstream): Promise<WhopProxy> {
  const port = checkPort(options.port)
  const ca = options.ca === undefined ? await makeCa(new Date(realTimeMs())) : await loadCa(options.ca)
  const files = writeCaFiles(ca)
  const server = new ProxyServer({
    port,
    host: options.host ?? '127.0.0.1',
    passthrough: options.passthrough ?? false,
    leaves: new LeafCertificates(ca),
    upstream,
    maxConnections: options.maxConnections ?? 1000,
  })
  let url: string
  try {
    url = await server.listen()
  } catch (error) {
    files.remove()
    throw new OptionError(`the proxy cannot listen on ${options.host ?? '127.0.0.1'}:${port} (${(error as Error).message})`)
  }
  return {
    url,
    caFile: files.certFile,
    caBundleFile: files.bundleFile,
    caCertificate: ca.pem,
    close: async () => {
      await server.close()
      files.remove()
    },
  }
}
