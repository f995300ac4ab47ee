/**
 * The server's logger: pino through Fastify, each line masked by value as it is written (every
 * secret the mock knows, wherever it stands in the line), so no log level shows one whole.
 */
import type { FastifyServerOptions } from 'fastify'
import type { SecretMasker } from '../masking.js'
import type { LogLevel } from '../options.js'
import { maskUrl } from '../redact.js'

export function loggerOptions(level: LogLevel, masker: SecretMasker): FastifyServerOptions['logger'] {
  // Silent means no logger at all: a pino child per request is measurable at load.
  if (level === 'silent') return false
  return {
    level,
    serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: maskUrl(req.url) }) },
    stream: { write: (line: string) => process.stdout.write(masker.text(line)) },
  }
}
