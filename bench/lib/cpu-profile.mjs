// @ts-check
/**
 * Reading a V8 .cpuprofile (from node --cpu-prof): self time per function, self time per
 * module (package or source file), and inclusive time of chosen functions.
 */
import { fileURLToPath } from 'node:url'
import { must } from './must.mjs'

/**
 * What is read of a .cpuprofile: the call tree's nodes, and which node each sample hit and when.
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }} ProfileNode
 * @typedef {{ startTime: number, nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} CpuProfile
 */

/**
 * A frame as the owners see it, and an owner of main-thread time (see ownerOf).
 * @typedef {{ functionName: string, module: string }} Frame
 * @typedef {{ name: string, tier: number, claims: (frame: Frame) => boolean }} Owner
 */

/**
 * Where a frame's code lives: `pkg:<name>` for node_modules, the repo-relative file for ours, else `(node)` / the V8 pseudo-frame.
 * @param {string} url
 * @param {string} repoRoot
 */
function moduleOf(url, repoRoot) {
  if (url === '') return '(native/V8)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg !== null) return `pkg:${pkg[1]}`
  if (url.startsWith('node:')) return '(node core)'
  const path = url.startsWith('file://') ? fileURLToPath(url) : url
  return path.startsWith(repoRoot) ? path.slice(repoRoot.length) : path
}

/**
 * @param {CpuProfile} profile
 * @param {string} repoRoot
 * @param {string[]} [inclusiveOf]  function names whose inclusive time to report
 * @param {Owner[]} [owners]  see ownerOf
 * @param {{ fromUs: number, toUs: number } | null} [window]  only samples taken in this span of the
 *   monotonic clock (V8's profile timestamps and process.hrtime both read CLOCK_MONOTONIC on Linux)
 */
export function summarizeCpuProfile(profile, repoRoot, inclusiveOf = [], owners = [], window = null) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  /** @type {Map<number, number>} */
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  /** @type {Map<string, number>} */
  const selfByFn = new Map()
  /** @type {Map<string, number>} */
  const selfByModule = new Map()
  const inclusive = new Map(inclusiveOf.map((name) => [name, 0]))
  /** @type {Map<string, number>} */
  const byOwner = new Map()
  let total = 0
  let idle = 0
  /**
   * @param {Map<string, number>} map
   * @param {string} key
   * @param {number} us
   */
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us)
  let at = profile.startTime
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0
    at += us
    if (window !== null && (at < window.fromUs || at > window.toUs)) return
    const node = must(byId.get(id), `profile node ${id}`)
    const { functionName, url, lineNumber } = node.callFrame
    total += us
    if (functionName === '(idle)') {
      idle += us
      return
    }
    const module = moduleOf(url, repoRoot)
    add(selfByFn, `${functionName || '(anonymous)'} ${module}:${lineNumber + 1}`, us)
    add(selfByModule, module, us)
    if (owners.length > 0) add(byOwner, ownerOf(id, byId, parent, owners, repoRoot), us)
    if (inclusive.size > 0) {
      const seen = new Set()
      for (let /** @type {number | undefined} */ at = id; at !== undefined; at = parent.get(at)) {
        const name = must(byId.get(at), `profile node ${at}`).callFrame.functionName
        if (inclusive.has(name) && !seen.has(name)) {
          seen.add(name)
          add(inclusive, name, us)
        }
      }
    }
  })
  const busy = total - idle
  /** @param {Map<string, number>} map */
  const rank = (map) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, percentOfBusy: (us / busy) * 100 }))
  return {
    totalMs: total / 1000,
    busyMs: busy / 1000,
    functions: rank(selfByFn),
    modules: rank(selfByModule),
    inclusive: rank(inclusive),
    owners: rank(byOwner),
  }
}

/**
 * Who a sample's time belongs to. Owners come in tiers (the mock's own code, jose, ajv and the
 * GC first; then Fastify and other packages; then Node core). For each tier in turn the stack
 * is walked from the leaf towards the root, and the first frame an owner of that tier claims
 * wins. So crypto.sign called from signJwt counts as signing, and ajv's generated code (which
 * has no file) counts for whichever of our modules called it.
 * @param {number} id  the sampled node
 * @param {Map<number, ProfileNode>} byId
 * @param {Map<number, number>} parent  each node's parent's id
 * @param {Owner[]} owners
 * @param {string} repoRoot
 */
function ownerOf(id, byId, parent, owners, repoRoot) {
  /** @type {Frame[]} */
  const frames = []
  for (let /** @type {number | undefined} */ at = id; at !== undefined; at = parent.get(at)) {
    const { functionName, url } = must(byId.get(at), `profile node ${at}`).callFrame
    frames.push({ functionName, module: moduleOf(url, repoRoot) })
  }
  for (const tier of [...new Set(owners.map((o) => o.tier))].sort((a, b) => a - b)) {
    for (const frame of frames) {
      const owner = owners.find((o) => o.tier === tier && o.claims(frame))
      if (owner !== undefined) return owner.name
    }
  }
  return 'other'
}
