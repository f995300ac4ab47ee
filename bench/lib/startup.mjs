// @ts-check
/**
 * `npm run bench -- --startup`: where a cold start's time goes. Runs each recipe of
 * startup-child.mjs (a real `serve` start and a bare Fastify start, step by step) in fresh
 * processes, interleaved with the benchmark's cold starts of the real servers, and reports the
 * median of every step next to the measured spawn → first 200 of each.
 */
import { COLD_STARTS, SERVERS } from '../targets.mjs'
import { coldStartBlock } from './measure.mjs'
import { flagsByServer } from './probes.mjs'
import { runNode, startServer } from './processes.mjs'
import { summarize } from './stats.mjs'
import { must } from './must.mjs'

/**
 * Each recipe and the environment its child gets: the mock's, the one main.cjs sets for serve before the ESM loader starts libuv's pool.
 * @type {Record<string, Record<string, string>>}
 */
const RECIPES = { mock: { UV_THREADPOOL_SIZE: '1' }, bare: {} }

/**
 * @param {string} recipe
 * @returns {Promise<[string, number][]>} each step's label and milliseconds
 */
async function runChild(recipe) {
  return JSON.parse(await runNode(['bench/lib/startup-child.mjs', recipe], must(RECIPES[recipe], `recipe ${recipe}`)))
}

/**
 * @param {import('./stats.mjs').Summary} summary
 * @param {string} label
 */
const stepLine = ({ median, min, max }, label) => `  ${median.toFixed(1).padStart(7)} ms  (${min.toFixed(1)}–${max.toFixed(1)})  ${label}`

/**
 * @param {{ repeats: number }} options
 * @param {(line: string) => void} log
 */
export async function runStartupBreakdown(options, log) {
  const flags = await flagsByServer()
  /** @param {import('../targets.mjs').ServerName} name */
  const start = (name) => startServer(SERVERS[name], flags[name])
  /** @type {Map<string, Map<string, number[]>>} */
  const steps = new Map(Object.keys(RECIPES).map((r) => [r, new Map()]))
  /** @type {Map<string, number[]>} */
  const firstOk = new Map(COLD_STARTS.map((row) => [row.id, []]))
  /** @type {number[]} */
  const otherCpu = []
  log(`start-up breakdown: ${options.repeats} fresh processes per recipe, interleaved with as many cold starts of each server`)
  for (let i = 0; i < options.repeats; i++) {
    for (const recipe of steps.keys()) {
      for (const [label, ms] of await runChild(recipe)) {
        const table = must(steps.get(recipe), `recipe ${recipe}`)
        const list = table.get(label) ?? []
        list.push(ms)
        table.set(label, list)
      }
    }
    const block = await coldStartBlock(1, start)
    for (const [id, ms] of block.samples) must(firstOk.get(id), `cold start ${id}`).push(ms)
    otherCpu.push(block.otherCpuPercent)
  }
  const lines = []
  for (const [recipe, table] of steps) {
    let total = 0
    lines.push(`${recipe}:`)
    for (const [label, values] of table) {
      const summary = must(summarize(values), `${recipe}: ${label}`)
      total += summary.median
      lines.push(stepLine(summary, label))
    }
    lines.push(`  ${total.toFixed(1).padStart(7)} ms  sum of medians`, '')
  }
  for (const row of COLD_STARTS) {
    const { median, min, max } = must(summarize(must(firstOk.get(row.id), `cold start ${row.id}`)), `cold starts of ${row.id}`)
    lines.push(`${row.label}: spawn → first 200 ${median.toFixed(1)} ms (${min.toFixed(1)}–${max.toFixed(1)})`)
  }
  const other = must(summarize(otherCpu), 'other CPU samples')
  lines.push(`other processes used a median ${other.median}% of one core during the cold starts (max ${other.max}%)`)
  return lines.join('\n')
}
