/**
 * The proxy's certificate authority: made at start with @peculiar/x509 (an ECDSA P-256 key), or
 * loaded from PEM files the user keeps. Clients trust its certificate; its key signs one leaf
 * certificate per Whop host the proxy answers for (leaf-certificates.ts).
 */
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { createPrivateKey, createPublicKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { OptionError } from '../errors/startup.js'
import type { ProxyOptions } from '../options.js'

/** The user's CA: a PEM certificate and its unencrypted PEM key. */
export type CaFiles = NonNullable<ProxyOptions['ca']>

export interface CertificateAuthority {
  certificate: x509.X509Certificate
  /** The CA certificate as PEM: what clients trust. */
  pem: string
  /** The CA key as PKCS#8 PEM when made here (to be written beside the certificate), else null. */
  madeKeyPem: string | null
  signingKey: webcrypto.CryptoKey
  signingAlgorithm: SigningAlgorithm
}

/** What a CA key signs with; the same object serves to import the key. */
export type SigningAlgorithm = { name: 'ECDSA'; namedCurve: 'P-256' | 'P-384'; hash: string } | { name: 'RSASSA-PKCS1-v1_5'; hash: string }

export const DAY_MS = 86_400_000
const EC_P256: SigningAlgorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }

/** A positive serial number of 16 random bytes, as hex. */
export function serialNumber(): string {
  const bytes = randomBytes(16)
  bytes[0] = (bytes[0] ?? 0) & 0x7f
  return bytes.toString('hex')
}

/** A CA valid from a day ago for ten years, for this machine only. */
export async function makeCa(now: Date): Promise<CertificateAuthority> {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: `CN=whop-auth-mock proxy CA ${randomBytes(4).toString('hex')}, O=whop-auth-mock (local testing only)`,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + 3650 * DAY_MS),
    keys,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey))
  const madeKeyPem = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString()
  return { certificate, pem: certificate.toString('pem'), madeKeyPem, signingKey: keys.privateKey, signingAlgorithm: EC_P256 }
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new OptionError(`proxy CA ${what} ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`)
  }
}

/** The WebCrypto algorithm a CA key signs with: ECDSA on P-256 (SHA-256) or P-384 (SHA-384), or RSA PKCS#1 v1.5 with SHA-256. */
function algorithmOf(key: KeyObject, file: string): SigningAlgorithm {
  const curve = key.asymmetricKeyDetails?.namedCurve
  if (key.asymmetricKeyType === 'ec' && (curve === 'prime256v1' || curve === 'secp384r1'))
    return curve === 'prime256v1' ? EC_P256 : { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' }
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
  throw new OptionError(`proxy CA key ${file} must be an EC (P-256, P-384) or RSA key, got ${key.asymmetricKeyType ?? 'unknown'}`)
}

/** A CA from the user's PEM files; refused unless the certificate is a CA and the key is its own. */
export async function loadCa(files: CaFiles): Promise<CertificateAuthority> {
  let certificate: x509.X509Certificate
  let key: KeyObject
  try {
    certificate = new x509.X509Certificate(readPem(files.certFile, 'certificate'))
  } catch (error) {
    if (error instanceof OptionError) throw error
    throw new OptionError(`proxy CA certificate ${files.certFile} is not a PEM certificate`)
  }
  try {
    key = createPrivateKey(readPem(files.keyFile, 'key'))
  } catch (error) {
    if (error instanceof OptionError) throw error
    throw new OptionError(`proxy CA key ${files.keyFile} is not an unencrypted PEM private key`)
  }
  if (certificate.getExtension(x509.BasicConstraintsExtension)?.ca !== true)
    throw new OptionError(`proxy CA certificate ${files.certFile} is not a CA certificate (basicConstraints cA is not set)`)
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' })
  if (!spki.equals(Buffer.from(certificate.publicKey.rawData)))
    throw new OptionError(`proxy CA key ${files.keyFile} does not belong to the certificate ${files.certFile}`)
  const signingAlgorithm = algorithmOf(key, files.keyFile)
  const der = key.export({ type: 'pkcs8', format: 'der' })
  const signingKey = await webcrypto.subtle.importKey('pkcs8', der, signingAlgorithm, false, ['sign'])
  return { certificate, pem: certificate.toString('pem'), madeKeyPem: null, signingKey, signingAlgorithm }
}
