/**
 * TLS for tests: a certificate pair written to files, the certificate a handshake presents, an
 * undici agent that trusts one certificate, and a JSON GET through it.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connect } from 'node:tls'
import type { Test } from 'tap'
import { Agent, request } from 'undici'
import { selfSignedCertificate } from '../../src/crypto/self-signed.js'

/** A self-signed pair for 127.0.0.1 and localhost, written to cert.pem and key.pem in a test dir. */
export async function certificateFiles(t: Test): Promise<{ cert: string; key: string; certFile: string; keyFile: string }> {
  const dir = t.testdir()
  const pair = await selfSignedCertificate(['127.0.0.1', 'localhost'], new Date())
  const certFile = join(dir, 'cert.pem')
  const keyFile = join(dir, 'key.pem')
  writeFileSync(certFile, pair.cert)
  writeFileSync(keyFile, pair.key)
  return { ...pair, certFile, keyFile }
}

/** The certificate a TLS handshake with `url` presents, verified against `ca`. */
export function peerCertificate(url: string, ca: string): Promise<Buffer> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), ca }, () => {
      resolve(socket.getPeerCertificate().raw)
      socket.end()
    })
    socket.on('error', reject)
  })
}

/** An undici agent that trusts exactly `ca`, closed at teardown. */
export function trusting(t: Test, ca: string): Agent {
  const agent = new Agent({ connect: { ca } })
  t.teardown(() => agent.close())
  return agent
}

export async function getJson(url: string, dispatcher: Agent): Promise<{ status: number; body: any }> {
  const res = await request(url, { dispatcher })
  return { status: res.statusCode, body: await res.body.json() }
}
