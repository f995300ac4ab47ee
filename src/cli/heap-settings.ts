/**
 * V8 heap settings for the long-running `serve` process, so the mock stays small under load
 * (the benchmark's target: RSS after load within 1.3× a bare Fastify process).
 *
 * Under a stream of token mints V8 grows the young generation from 1 to 16 MiB per semi-space
 * and lets old space reach about 4× its live size before collecting, so RSS doubles though the
 * live heap stays near 15 MB. Keeping the young generation at its starting size and collecting
 * old space sooner saves about 48 MiB for no measurable loss in mints and about 8% fewer round
 * trips per second (bench/PROFILE.md, "Memory: RSS after load").
 *
 * They are set here, at run time, rather than as `node` options, so they hold however the CLI is
 * started (the bin, `npm start`, `node dist/cli/main.cjs`, the Docker image). V8 reads both flags
 * when it next sizes the heap; it does not promise that, so `npm run bench` measures the result.
 * Only the CLI sets them: a test process that imports the library keeps its own heap settings.
 */
import { setFlagsFromString } from 'node:v8'

export const SERVE_HEAP_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=30'] as const

/** The flag's name, e.g. `--heap-growing-percent`, in either spelling V8 accepts. */
const flagName = (flag: string) => flag.split('=')[0]!.replaceAll('_', '-')

/** SERVE_HEAP_FLAGS except any the user already chose on the command line or in NODE_OPTIONS. */
export function serveHeapFlags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const chosen = new Set([...execArgv, ...(nodeOptions ?? '').split(/\s+/)].filter((a) => a.startsWith('--')).map(flagName))
  return SERVE_HEAP_FLAGS.filter((flag) => !chosen.has(flagName(flag)))
}

export function applyServeHeapSettings(execArgv: readonly string[], nodeOptions: string | undefined): void {
  for (const flag of serveHeapFlags(execArgv, nodeOptions)) setFlagsFromString(flag)
}
