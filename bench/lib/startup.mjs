/**
 * `npm run bench -- --startup`: where a cold start's time goes. Runs each recipe of
 * startup-child.mjs in fresh processes, interleaved, and reports the median of every step,
 * next to the measured spawn → first 200 of the real CLI and of bare Fastify.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { COLD_STARTS, SERVERS } from '../targets.mjs'
import { flagsByServer } from './benchmark.mjs'
import { repoRoot, startServer } from './processes.mjs'
import { summarize } from './stats.mjs'

const RECIPES = ['mock', 'bare', 'cached-spec']

function runChild(recipe, specJson) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bench/lib/startup-child.mjs', recipe, specJson], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`startup-child ${recipe} exited ${code}`))))
  })
}

/**
 * @param {{ repeats: number }} options
 * @param {(line: string) => void} log
 */
export async function runStartupBreakdown(options, log) {
  // The validated document a build step would store; made here with the same validator the mock uses.
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser')
  const dir = mkdtempSync(join(tmpdir(), 'whop-mock-startup-'))
  const specJson = join(dir, 'whop-auth.openapi.json')
  writeFileSync(specJson, JSON.stringify(await SwaggerParser.validate(join(repoRoot, 'spec/whop-auth.openapi.yaml'))))

  const flags = await flagsByServer()
  /** @type {Map<string, Map<string, number[]>>} */
  const steps = new Map(RECIPES.map((r) => [r, new Map()]))
  const firstOk = new Map(COLD_STARTS.map((row) => [row.id, []]))
  log(`start-up breakdown: ${options.repeats} fresh processes per recipe, interleaved`)
  for (let i = 0; i < options.repeats; i++) {
    for (const recipe of RECIPES) {
      for (const [label, ms] of await runChild(recipe, specJson)) {
        const list = steps.get(recipe).get(label) ?? []
        list.push(ms)
        steps.get(recipe).set(label, list)
      }
    }
    for (const row of COLD_STARTS) {
      const server = await startServer(row.server, SERVERS[row.server], flags[row.server])
      await server.stop()
      firstOk.get(row.id).push(server.readyMs)
    }
  }
  const lines = []
  for (const [recipe, table] of steps) {
    let total = 0
    lines.push(`${recipe}:`)
    for (const [label, values] of table) {
      const { median, min, max } = summarize(values)
      total += median
      lines.push(`  ${median.toFixed(1).padStart(7)} ms  (${min.toFixed(1)}–${max.toFixed(1)})  ${label}`)
    }
    lines.push(`  ${total.toFixed(1).padStart(7)} ms  sum of medians`, '')
  }
  for (const row of COLD_STARTS) {
    const { median, min, max } = summarize(firstOk.get(row.id))
    lines.push(`${row.label}: spawn → first 200 ${median.toFixed(1)} ms (${min.toFixed(1)}–${max.toFixed(1)})`)
  }
  return lines.join('\n')
}
