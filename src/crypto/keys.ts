/**
 * The ES256 key every mock JWT is signed with, and the key set that publishes it.
 * Generated at start, or kept in a key file so tokens verify across restarts.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { KeyFileError } from '../errors/startup.js'

export interface PublicJwk {
  kty: 'EC'
  crv: 'P-256'
  x: string
  y: string
  kid: string
  alg: 'ES256'
  use: 'sig'
}

export interface SigningKey {
  kid: string
  privateKey: KeyObject
  publicKey: KeyObject
  /** The public JWK as published at /.well-known/jwks.json. */
  publicJwk: PublicJwk
  /** The base64url JWS protected header of every token this key signs, made once. */
  jwsHeader: string
}

/** RFC 7638 thumbprint: SHA-256 over the required members, in lexicographic order, without spaces. */
function thumbprint(x: string, y: string): string {
  return createHash('sha256').update(`{"crv":"P-256","kty":"EC","x":"${x}","y":"${y}"}`).digest('base64url')
}

/** node:crypto only, so a start does not load a JOSE library just to make a key. */
function fromPrivateKey(privateKey: KeyObject): SigningKey {
  const { x, y } = privateKey.export({ format: 'jwk' }) as { x: string; y: string }
  const kid = thumbprint(x, y)
  return {
    kid,
    privateKey,
    publicKey: createPublicKey(privateKey),
    publicJwk: { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' },
    jwsHeader: Buffer.from(JSON.stringify({ alg: 'ES256', kid, typ: 'JWT' })).toString('base64url'),
  }
}

/** The private key as a JWK, as a key file (or a shared store) keeps it. */
export function privateJwkOf(key: SigningKey): string {
  return JSON.stringify({ ...key.privateKey.export({ format: 'jwk' }), kid: key.kid, alg: 'ES256' })
}

/** A key from the JWK privateJwkOf wrote. */
export function signingKeyFromJwk(text: string): SigningKey {
  return fromPrivateKey(createPrivateKey({ key: JSON.parse(text) as import('node:crypto').JsonWebKey, format: 'jwk' }))
}

/** A fresh P-256 key, made synchronously (a tenant with its own key is made inside one request). */
export function newSigningKey(): SigningKey {
  return fromPrivateKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
}

export async function generateSigningKey(): Promise<SigningKey> {
  return newSigningKey()
}

/**
 * Load the key from `file`; if the file does not exist, generate a key and write it there
 * (mode 0600) so the next start signs with the same key.
 */
export async function loadOrCreateSigningKey(file: string | undefined): Promise<SigningKey> {
  if (file === undefined) return generateSigningKey()
  let text: string | undefined
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new KeyFileError(`key file ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`)
    }
  }
  if (text === undefined) {
    const key = await generateSigningKey()
    const jwk = key.privateKey.export({ format: 'jwk' })
    try {
      writeFileSync(file, `${JSON.stringify({ ...jwk, kid: key.kid, alg: 'ES256' }, null, 2)}\n`, { mode: 0o600, flag: 'wx' })
    } catch (error) {
      throw new KeyFileError(`key file ${file} cannot be written (${(error as NodeJS.ErrnoException).code})`)
    }
    return key
  }
  let jwk: { kty?: unknown; crv?: unknown; d?: unknown }
  try {
    jwk = JSON.parse(text) as typeof jwk
  } catch {
    throw new KeyFileError(`key file ${file} is not JSON`)
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') {
    throw new KeyFileError(`key file ${file} does not hold a private P-256 (ES256) JWK`)
  }
  try {
    return fromPrivateKey(createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' }))
  } catch (error) {
    throw new KeyFileError(`key file ${file} holds an unusable key: ${(error as Error).message}`)
  }
}
