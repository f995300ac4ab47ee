// @ts-check
/**
 * `npm run bench -- --profile <id>`: where the time goes. Runs one server under
 * `node --cpu-prof`, then either loads it with one load row (e.g. `mint`) or, for a cold-start
 * row (`cold-mock`, `cold-bare`), stops it at its first 200. Prints self time by function and by
 * module, and inclusive time of the mock's own steps; keeps the .cpuprofile for DevTools.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { COLD_STARTS, LOADS, SERVERS } from '../targets.mjs'
import { measureLoad } from './measure.mjs'
import { flagsByServer, probesFor, runLoad, unmetRequirement } from './probes.mjs'
import { summarizeCpuProfile } from './cpu-profile.mjs'
import { repoRoot, startServer } from './processes.mjs'

/** The mock's own steps (and the libraries' entry points) whose inclusive time is worth a line. */
const STEPS = [
  // request path
  'createAccessToken',
  'signJwt',
  'sign',
  'verifyJwt',
  'validateRequest',
  'bearerAuth',
  'authenticateClient',
  'maskValue',
  'maskHeaders',
  'journalBody',
  'randomId',
  // start-up (validateWithSwaggerParser and createAjv run only for bytes the build did not record, or on first use)
  'buildMockServer',
  'loadValidatedSpec',
  'readBuildRecord',
  'readSpec',
  'validateWithSwaggerParser',
  'compileRequestValidator',
  'createAjv',
  'loadOrCreateSigningKey',
  'readFixtureFile',
  'checkFixtures',
  'listen',
]

/**
 * Owners of main-thread time by tier: lower tiers win wherever they appear in the stack (see cpu-profile.mjs ownerOf).
 * @type {import('./cpu-profile.mjs').Owner[]}
 */
const OWNERS = [
  { tier: 0, name: 'garbage collector', claims: (f) => f.functionName === '(garbage collector)' },
  // jose only verifies (it loads on the first verification); signing is src/crypto/jwt's own code on node:crypto.
  { tier: 0, name: 'JWT verification (jose)', claims: (f) => f.module === 'pkg:jose' },
  { tier: 0, name: 'JWT signing, ids (src/crypto/jwt)', claims: (f) => f.module.includes('crypto/jwt.') },
  {
    tier: 0,
    name: 'journal + secret masking (http/journal, redact)',
    claims: (f) => f.module.includes('http/journal.') || f.module.includes('redact.') || f.module.includes('state/journal.'),
  },
  { tier: 0, name: 'request validation (ajv)', claims: (f) => f.module.includes('validation.') || f.module === 'pkg:ajv' },
  { tier: 0, name: 'body parsing (http/body-parsers)', claims: (f) => f.module.includes('body-parsers.') },
  {
    tier: 0,
    name: 'authentication (auth/credentials, auth/client-auth)',
    claims: (f) => f.module.startsWith('dist/auth/') || f.module.startsWith('src/auth/'),
  },
  { tier: 0, name: 'fault hooks (http/faults, state/faults)', claims: (f) => f.module.includes('faults.') },
  { tier: 0, name: 'handlers (surfaces/*)', claims: (f) => f.module.includes('surfaces/') },
  { tier: 0, name: 'other mock code', claims: (f) => f.module.startsWith('dist/') || f.module.startsWith('src/') },
  // Only where no mock frame is on the stack: a socket write under our handler counts as mock code above.
  {
    tier: 1,
    name: 'Fastify and the Node work it calls with no mock frame on the stack (routing, hooks, serialization)',
    claims: (f) =>
      /^pkg:(fastify|find-my-way|pino|avvio|light-my-request|fast-json-stringify|@fastify\/.*|fast-querystring|abstract-logging)$/.test(
        f.module,
      ),
  },
  { tier: 1, name: 'other packages', claims: (f) => f.module.startsWith('pkg:') },
  { tier: 2, name: 'Node core outside Fastify frames (HTTP parser, socket reads, ticks) and V8', claims: () => true },
]

const TOP = 25
/** @param {number} n */
const pct = (n) => `${n.toFixed(1).padStart(5)}%`

/**
 * @param {string} id  a load row id or a cold-start row id
 * @param {{ seconds: number, warmupSeconds: number }} options
 * @param {(line: string) => void} log
 */
export async function runProfile(id, options, log) {
  const row = [...LOADS, ...COLD_STARTS].find((r) => r.id === id)
  if (row === undefined) throw new Error(`--profile takes one of ${[...LOADS, ...COLD_STARTS].map((r) => r.id).join(', ')}; got ${id}`)
  const cold = row.kind === 'cold'
  const dir = mkdtempSync(join(tmpdir(), 'whop-mock-profile-'))
  // 100 µs sampling resolves the few hundred ms of a start; 500 µs is plenty under load.
  const nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${cold ? 100 : 500}`]
  const flags = await flagsByServer()
  const server = await startServer(SERVERS[row.server], flags[row.server], nodeArgs)
  let completed = null
  /** The measured load's span, so start-up and warm-up samples stay out of the per-request figures. */
  let window = null
  /** The server's CPU per operation during the measured load, from /proc (CPU time, unlike the profile's wall-clock samples). */
  let cpu = null
  try {
    if (!cold) {
      const { ctx, missing } = await probesFor([row], server.origin)
      const reason = unmetRequirement(row, missing)
      if (reason !== null) throw new Error(`${id} is not available: ${reason}`)
      if (options.warmupSeconds > 0) await runLoad(row, server, ctx, options.warmupSeconds)
      const from = process.hrtime.bigint()
      const { result, detail } = await measureLoad(row, server, ctx, options.seconds)
      window = { fromUs: Number(from / 1000n), toUs: Number(process.hrtime.bigint() / 1000n) }
      if (result.invalid !== null) throw new Error(`${id} load invalid: ${result.invalid}`)
      completed = result.completed
      cpu = detail
      log(
        `${id}: ${Math.round(result.perSecond)} ${row.unit} under --cpu-prof (profiling slows it down); other processes used ${detail.otherCpuPercent}% of a core`,
      )
    } else {
      log(`${id}: first 200 after ${server.readyMs.toFixed(1)} ms under --cpu-prof`)
    }
  } finally {
    await server.stop()
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  if (file === undefined) throw new Error(`no .cpuprofile in ${dir}`)
  /** @type {import('./cpu-profile.mjs').CpuProfile} */
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'))
  const summary = summarizeCpuProfile(profile, repoRoot, STEPS, OWNERS, window)
  const per = completed ? ` (${((summary.busyMs * 1000) / completed).toFixed(1)} µs of main-thread CPU per request)` : ''
  const lines = [
    `profile ${join(dir, file)}`,
    `main thread busy ${summary.busyMs.toFixed(0)} ms of ${summary.totalMs.toFixed(0)} ms${window ? ' of the measured load' : ''}${per}`,
    ...(cpu !== null && completed
      ? [
          `CPU time from /proc: ${cpu.serverCpuUsPerOp.toFixed(1)} µs per request for the process, ${cpu.mainThreadCpuUsPerOp.toFixed(1)} µs on the main thread. ` +
            'Samples are wall-clock: where the main thread waits for a core (e.g. just after waking a pool thread) counts as busy, so on an oversubscribed machine the profile overstates such spots.',
        ]
      : []),
    '',
    'main-thread time by owner (mock code, jose, ajv and GC first, then Fastify and other packages, then Node core):',
    ...summary.owners.map(
      (o) =>
        `  ${pct(o.percentOfBusy)}  ${o.ms.toFixed(1).padStart(8)} ms  ${o.name}${completed ? `  (${((o.ms * 1000) / completed).toFixed(1)} µs/op)` : ''}`,
    ),
    '',
    'self time by module:',
    ...summary.modules.slice(0, 15).map((m) => `  ${pct(m.percentOfBusy)}  ${m.ms.toFixed(1).padStart(8)} ms  ${m.name}`),
    '',
    'self time by function:',
    ...summary.functions.slice(0, TOP).map((f) => `  ${pct(f.percentOfBusy)}  ${f.ms.toFixed(1).padStart(8)} ms  ${f.name}`),
    '',
    'inclusive time of named steps:',
    ...summary.inclusive.filter((s) => s.ms > 0).map((s) => `  ${pct(s.percentOfBusy)}  ${s.ms.toFixed(1).padStart(8)} ms  ${s.name}`),
  ]
  return lines.join('\n')
}
