/** What the server needs to speak HTTPS: the given PEM files, or a self-signed pair made now. */
import { readFileSync } from 'node:fs'
import { OptionError } from '../errors/startup.js'
import type { ResolvedOptions } from '../options.js'

/** Key and certificate for HTTPS: the given files, or a self-signed pair for loopback and the public host. */
export async function tlsMaterial(options: ResolvedOptions, now: Date): Promise<{ key: string; cert: string } | null> {
  if (options.tls === false) return null
  if (options.tls !== true) {
    const read = (file: string, what: string) => {
      try {
        return readFileSync(file, 'utf8')
      } catch (error) {
        throw new OptionError(`TLS ${what} ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`)
      }
    }
    return { cert: read(options.tls.certFile, 'certificate'), key: read(options.tls.keyFile, 'key') }
  }
  // Loaded only here: the X.509 library is large, and a mock without --tls never needs it.
  const { selfSignedCertificate } = await import('./self-signed.js')
  const hosts = ['localhost', '127.0.0.1', '::1', options.host, ...(options.publicUrl ? [new URL(options.publicUrl).hostname] : [])]
  return selfSignedCertificate(
    hosts.filter((h) => h !== '0.0.0.0' && h !== '::'),
    now,
  )
}
