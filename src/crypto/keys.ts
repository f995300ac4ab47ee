/**
 * The ES256 key every mock JWT is signed with, and the key set that publishes it.
 * Generated at start, or kept in a key file so tokens verify across restarts.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose'

export interface SigningKey {
  kid: string
  privateKey: CryptoKey
  publicKey: CryptoKey
  /** The public JWK as published at /.well-known/jwks.json. */
  publicJwk: JWK & { kid: string; alg: 'ES256'; use: 'sig' }
}

/** A key file that cannot be used. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError'
}

async function fromPrivateJwk(jwk: JWK): Promise<SigningKey> {
  const { d: _d, ...publicPart } = jwk
  const kid = await calculateJwkThumbprint(publicPart as JWK)
  const privateKey = (await importJWK({ ...jwk, alg: 'ES256' }, 'ES256', { extractable: true })) as CryptoKey
  const publicKey = (await importJWK({ ...publicPart, alg: 'ES256' }, 'ES256')) as CryptoKey
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk: { kty: 'EC', crv: 'P-256', x: publicPart.x, y: publicPart.y, kid, alg: 'ES256', use: 'sig' },
  }
}

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true })
  return fromPrivateJwk(await exportJWK(privateKey))
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
    const jwk = await exportJWK(key.privateKey)
    try {
      writeFileSync(file, `${JSON.stringify({ ...jwk, kid: key.kid, alg: 'ES256' }, null, 2)}\n`, { mode: 0o600, flag: 'wx' })
    } catch (error) {
      throw new KeyFileError(`key file ${file} cannot be written (${(error as NodeJS.ErrnoException).code})`)
    }
    return key
  }
  let jwk: JWK
  try {
    jwk = JSON.parse(text) as JWK
  } catch {
    throw new KeyFileError(`key file ${file} is not JSON`)
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') {
    throw new KeyFileError(`key file ${file} does not hold a private P-256 (ES256) JWK`)
  }
  try {
    return await fromPrivateJwk(jwk)
  } catch (error) {
    throw new KeyFileError(`key file ${file} holds an unusable key: ${(error as Error).message}`)
  }
}
