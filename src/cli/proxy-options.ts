/** `serve`'s proxy options: the table rows, their reading into the library option, and the banner lines. */
import { UsageError } from '../errors/startup.js'
import type { MockServer, ProxyOptions } from '../index.js'
import { integerOption, type OptionTable, type ParsedOptions } from './option-table.js'

export const proxyOptionTable: OptionTable = {
  'proxy-port': {
    type: 'string',
    value: '<port>',
    env: 'WHOP_MOCK_PROXY_PORT',
    description: "Also listen as an HTTP proxy (HTTPS_PROXY) that answers for Whop's hosts with this mock; 0 picks a free port",
  },
  'proxy-host': {
    type: 'string',
    value: '<address>',
    env: 'WHOP_MOCK_PROXY_HOST',
    default: '127.0.0.1',
    description: 'WARNING beyond loopback: address the proxy binds',
  },
  'proxy-passthrough': {
    type: 'boolean',
    env: 'WHOP_MOCK_PROXY_PASSTHROUGH',
    description: "Tunnel hosts other than Whop's through the proxy instead of answering 502 (the mock is offline by design)",
  },
  'proxy-ca-cert': {
    type: 'string',
    value: '<file>',
    env: 'WHOP_MOCK_PROXY_CA_CERT',
    description: 'PEM CA certificate the proxy signs with (with --proxy-ca-key); default: a CA made at start',
  },
  'proxy-ca-key': {
    type: 'string',
    value: '<file>',
    env: 'WHOP_MOCK_PROXY_CA_KEY',
    description: 'PEM private key of --proxy-ca-cert; it stays in that file and is never served',
  },
}

/** The library's proxy option from the parsed flags, or undefined without --proxy-port. */
export function proxyOption(values: ParsedOptions): ProxyOptions | undefined {
  const cert = values['proxy-ca-cert']
  const key = values['proxy-ca-key']
  if ((typeof cert === 'string') !== (typeof key === 'string')) throw new UsageError('--proxy-ca-cert and --proxy-ca-key go together')
  const port = integerOption('proxy-port', values['proxy-port'], 0, 65535)
  if (port === undefined) {
    if (typeof cert === 'string' || values['proxy-passthrough'] === true) throw new UsageError('the --proxy-* options need --proxy-port')
    return undefined
  }
  return {
    port,
    host: typeof values['proxy-host'] === 'string' ? values['proxy-host'] : '127.0.0.1',
    passthrough: values['proxy-passthrough'] === true,
    ...(typeof cert === 'string' && typeof key === 'string' && { ca: { certFile: cert, keyFile: key } }),
  }
}

/** What the banner says about the proxy: where it is, and the CA file each kind of client trusts. */
export function proxyBanner(mock: MockServer): string[] {
  const proxy = mock.proxy
  if (proxy === null) return []
  return [
    `HTTPS proxy for Whop's hosts: ${proxy.url}`,
    `  trust the CA ${proxy.caFile} (public roots plus it: ${proxy.caBundleFile})`,
    `  HTTPS_PROXY=${proxy.url} HTTP_PROXY=${proxy.url}`,
    `  NODE_EXTRA_CA_CERTS=${proxy.caFile} REQUESTS_CA_BUNDLE=${proxy.caBundleFile} SSL_CERT_FILE=${proxy.caBundleFile}`,
    `  curl --proxy ${proxy.url} --cacert ${proxy.caFile} https://api.whop.com/...`,
    '',
  ]
}
