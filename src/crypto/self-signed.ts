/**
 * A self-signed TLS certificate made at start, for `--tls` without certificate files: some
 * clients (Auth.js's userinfo call through oauth4webapi) refuse plain http [I reference §4.3].
 * Made with @peculiar/x509, as the proxy's CA is: one certificate with a P-256 key, signed
 * ECDSA-SHA256, valid for localhost, loopback and the public host.
 */
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto'
import { isIP } from 'node:net'

export interface SelfSignedCertificate {
  cert: string
  key: string
}

const DAY_MS = 86_400_000
const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }

/** A subject alternative name for a DNS name or an IP literal (with or without IPv6 brackets). */
function altName(host: string): x509.JsonGeneralName {
  const bare = host.replace(/^\[|\]$/g, '')
  return { type: isIP(bare) === 0 ? 'dns' : 'ip', value: bare }
}

/** A certificate for `hosts` (DNS names or IPs), valid from a day before `now` for a year. */
export async function selfSignedCertificate(hosts: string[], now: Date): Promise<SelfSignedCertificate> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
  const serial = randomBytes(16)
  serial[0] = (serial[0] ?? 0) & 0x7f
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: 'CN=whop-auth-mock',
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + 365 * DAY_MS),
    keys,
    signingAlgorithm: EC_P256,
    extensions: [new x509.SubjectAlternativeNameExtension([...new Set(hosts)].map(altName)), new x509.BasicConstraintsExtension(false)],
  })
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  return {
    cert: certificate.toString('pem'),
    key: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString(),
  }
}
