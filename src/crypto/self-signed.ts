/**
 * A self-signed TLS certificate made at start, for `--tls` without certificate files: some
 * clients (Auth.js's userinfo call through oauth4webapi) refuse plain http [I reference §4.3].
 * A small DER writer over node:crypto rather than a certificate library: one certificate with
 * a P-256 key, signed ECDSA-SHA256, valid for localhost, loopback and the public host.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto'
import { isIP } from 'node:net'

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

const tlv = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts)
  return Buffer.concat([Buffer.from([tag]), length(body.length), body])
}
const seq = (...parts: Buffer[]) => tlv(0x30, ...parts)
const set = (...parts: Buffer[]) => tlv(0x31, ...parts)
const explicit = (n: number, ...parts: Buffer[]) => tlv(0xa0 + n, ...parts)
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'))
const octets = (data: Buffer) => tlv(0x04, data)
const bits = (data: Buffer) => tlv(0x03, Buffer.from([0]), data)

function integer(data: Buffer): Buffer {
  // A leading 1 bit would read as negative: prefix a zero byte.
  return tlv(0x02, (data[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), data]) : data)
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number)
  const bytes = [a! * 40 + b!]
  for (const n of rest) {
    const chunk: number[] = []
    for (let v = n; ; v = Math.floor(v / 128)) {
      chunk.unshift((v % 128) | (chunk.length > 0 ? 0x80 : 0))
      if (v < 128) break
    }
    bytes.push(...chunk)
  }
  return tlv(0x06, Buffer.from(bytes))
}

/** UTCTime YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1, years before 2050). */
function utcTime(date: Date): Buffer {
  const iso = date.toISOString()
  return tlv(
    0x17,
    Buffer.from(`${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`),
  )
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'))

function subjectAltNames(hosts: string[]): Buffer {
  const names = hosts.map((host) => {
    const bare = host.replace(/^\[|\]$/g, '')
    if (isIP(bare) === 4) return tlv(0x87, Buffer.from(bare.split('.').map(Number)))
    if (isIP(bare) === 6) return tlv(0x87, ipv6Bytes(bare))
    return tlv(0x82, Buffer.from(bare, 'ascii'))
  })
  return seq(oid('2.5.29.17'), octets(seq(...names)))
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail = ''] = address.split('::')
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left
  return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]))
}

export interface SelfSignedCertificate {
  cert: string
  key: string
}

/** A certificate for `hosts` (DNS names or IPs), valid from a day before `now` for a year. */
export function selfSignedCertificate(hosts: string[], now: Date): SelfSignedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const name = seq(set(seq(oid('2.5.4.3'), utf8('whop-auth-mock'))))
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(randomBytes(16)),
    ECDSA_SHA256,
    name,
    seq(utcTime(new Date(now.getTime() - 86_400_000)), utcTime(new Date(now.getTime() + 365 * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(subjectAltNames([...new Set(hosts)]), seq(oid('2.5.29.19'), octets(seq())))),
  )
  const signature = sign('sha256', tbs, privateKey)
  const der = seq(tbs, ECDSA_SHA256, bits(signature))
  const pem = der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${pem}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  }
}
