/**
 * One TLS context per host the proxy answers for, its certificate signed by the proxy's CA. The
 * leaves share one P-256 key made with the cache; contexts are kept in a bounded
 * least-recently-used map, so a client naming many hosts cannot grow memory.
 */
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { createPrivateKey, webcrypto } from 'node:crypto'
import { isIP } from 'node:net'
import { createSecureContext, type SecureContext } from 'node:tls'
import { DAY_MS, serialNumber, type CertificateAuthority } from './ca.js'
import { realTimeMs } from '../state/clock.js'

const LEAF_KEY: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' }

/** Leaf certificates live under the 398 days browsers accept. */
const LEAF_DAYS = 397

export class LeafCertificates {
  readonly #contexts = new Map<string, Promise<SecureContext>>()
  #keys: Promise<{ pair: webcrypto.CryptoKeyPair; pem: string }> | null = null

  constructor(
    private readonly ca: CertificateAuthority,
    private readonly max = 64,
  ) {}

  /** The TLS context for `host` (a DNS name or an IP), made on first use. */
  contextFor(host: string): Promise<SecureContext> {
    const name = host.toLowerCase()
    const known = this.#contexts.get(name)
    if (known !== undefined) {
      this.#contexts.delete(name)
      this.#contexts.set(name, known)
      return known
    }
    const made = this.#make(name)
    // A failure is not kept: the next handshake tries again.
    made.catch(() => this.#contexts.delete(name))
    this.#contexts.set(name, made)
    for (const oldest of this.#contexts.keys()) {
      if (this.#contexts.size <= this.max) break
      this.#contexts.delete(oldest)
    }
    return made
  }

  get size(): number {
    return this.#contexts.size
  }

  #leafKeys(): Promise<{ pair: webcrypto.CryptoKeyPair; pem: string }> {
    this.#keys ??= (async () => {
      const pair = await webcrypto.subtle.generateKey(LEAF_KEY, true, ['sign', 'verify'])
      const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey))
      return { pair, pem: createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString() }
    })()
    return this.#keys
  }

  async #make(host: string): Promise<SecureContext> {
    const keys = await this.#leafKeys()
    // Clients check a certificate against their own clock, which no mock clock moves.
    const now = realTimeMs()
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: `CN=${host}`,
      issuer: this.ca.certificate.subject,
      notBefore: new Date(now - DAY_MS),
      notAfter: new Date(now + LEAF_DAYS * DAY_MS),
      publicKey: keys.pair.publicKey,
      signingKey: this.ca.signingKey,
      signingAlgorithm: this.ca.signingAlgorithm,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([{ type: isIP(host) === 0 ? 'dns' : 'ip', value: host }]),
        await x509.AuthorityKeyIdentifierExtension.create(this.ca.certificate.publicKey),
        await x509.SubjectKeyIdentifierExtension.create(keys.pair.publicKey),
      ],
    })
    return createSecureContext({ key: keys.pem, cert: `${certificate.toString('pem')}\n${this.ca.pem}` })
  }
}
