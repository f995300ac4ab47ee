/**
 * Reading a V8 .cpuprofile (from node --cpu-prof): self time per function, self time per
 * module (package or source file), and inclusive time of chosen functions.
 */
import { fileURLToPath } from 'node:url'

/** Where a frame's code lives: `pkg:<name>` for node_modules, the repo-relative file for ours, else `(node)` / the V8 pseudo-frame. */
export function moduleOf(url, repoRoot) {
  if (url === '') return '(native/V8)'
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg !== null) return `pkg:${pkg[1]}`
  if (url.startsWith('node:')) return '(node core)'
  const path = url.startsWith('file://') ? fileURLToPath(url) : url
  return path.startsWith(repoRoot) ? path.slice(repoRoot.length) : path
}

/**
 * @param {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }[], samples: number[], timeDeltas: number[] }} profile
 * @param {string} repoRoot
 * @param {string[]} [inclusiveOf]  function names whose inclusive time to report
 */
export function summarizeCpuProfile(profile, repoRoot, inclusiveOf = []) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const selfByFn = new Map()
  const selfByModule = new Map()
  const inclusive = new Map(inclusiveOf.map((name) => [name, 0]))
  let total = 0
  let idle = 0
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us)
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0
    const node = byId.get(id)
    const { functionName, url, lineNumber } = node.callFrame
    total += us
    if (functionName === '(idle)') {
      idle += us
      return
    }
    const module = moduleOf(url, repoRoot)
    add(selfByFn, `${functionName || '(anonymous)'} ${module}:${lineNumber + 1}`, us)
    add(selfByModule, module, us)
    if (inclusive.size > 0) {
      const seen = new Set()
      for (let at = id; at !== undefined; at = parent.get(at)) {
        const name = byId.get(at).callFrame.functionName
        if (inclusive.has(name) && !seen.has(name)) {
          seen.add(name)
          add(inclusive, name, us)
        }
      }
    }
  })
  const busy = total - idle
  const rank = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, percentOfBusy: (us / busy) * 100 }))
  return { totalMs: total / 1000, busyMs: busy / 1000, functions: rank(selfByFn), modules: rank(selfByModule), inclusive: rank(inclusive) }
}
