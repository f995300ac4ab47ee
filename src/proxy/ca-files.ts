/**
 * Where clients find the proxy's CA: a private directory in the OS temp dir (mode 0700) holding
 * the CA certificate, a bundle of the public roots plus it (for clients whose variable replaces
 * their trust store, such as REQUESTS_CA_BUNDLE and SSL_CERT_FILE), and, for a CA made at start,
 * its key with mode 0600. The key is never served; the directory is removed when the proxy stops.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import type { CertificateAuthority } from './ca.js'

export interface CaFileSet {
  /** The CA certificate alone (NODE_EXTRA_CA_CERTS, curl --cacert). */
  certFile: string
  /** Node's bundled public roots followed by the CA (REQUESTS_CA_BUNDLE, SSL_CERT_FILE). */
  bundleFile: string
  /** The CA key, when the CA was made at start; null when it came from the user's files. */
  keyFile: string | null
  remove(): void
}

export function writeCaFiles(ca: CertificateAuthority): CaFileSet {
  const dir = mkdtempSync(join(tmpdir(), 'whop-auth-mock-ca-'))
  const certFile = join(dir, 'ca.pem')
  const bundleFile = join(dir, 'ca-bundle.pem')
  writeFileSync(certFile, ca.pem, { mode: 0o644 })
  writeFileSync(bundleFile, `${rootCertificates.join('\n')}\n${ca.pem}`, { mode: 0o644 })
  const keyFile = ca.madeKeyPem === null ? null : join(dir, 'ca-key.pem')
  if (keyFile !== null && ca.madeKeyPem !== null) writeFileSync(keyFile, ca.madeKeyPem, { mode: 0o600 })
  return { certFile, bundleFile, keyFile, remove: () => rmSync(dir, { recursive: true, force: true }) }
}
