// @ts-check
/** What the bench's own servers share: --port and --host (plus their own options), and a clean stop on SIGTERM or SIGINT. */
import { parseArgs } from 'node:util'

/**
 * @param {import('node:util').ParseArgsConfig['options']} [extra]
 * @returns {{ port: string, host: string, [name: string]: string | boolean | (string | boolean)[] | undefined }}
 */
export function serverOptions(extra = {}) {
  return parseArgs({ options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' }, ...extra } }).values
}

/** @param {() => Promise<unknown>} close */
export function stopOnSignal(close) {
  const stop = () => close().then(() => process.exit(0))
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}
