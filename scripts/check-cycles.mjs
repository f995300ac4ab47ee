// Fails on any import cycle under src/: between files (madge's own check), and between the
// folders of src/ (each folder one node, each file directly in src/ its own node), so a layer
// never depends on itself through another. Type-only imports count: they tie layers together too.
// Usage: node scripts/check-cycles.mjs   (npm run check:cycles; part of npm run lint)
import madge from 'madge'

const graph = await madge('src', {
  fileExtensions: ['ts', 'cts'],
  tsConfig: 'tsconfig.json',
  excludeRegExp: [/\.d\.ts$/],
})

/** A file's node in the folder graph: its top folder under src/ ("http/"), or itself when it sits in src/. */
const nodeOf = (file) => (file.includes('/') ? `${file.slice(0, file.indexOf('/'))}/` : file)

/** Folder edges with one file import that makes each, for the report. */
function folderEdges(files) {
  const edges = new Map()
  for (const [from, imports] of Object.entries(files)) {
    for (const to of imports) {
      const key = `${nodeOf(from)} -> ${nodeOf(to)}`
      if (nodeOf(from) !== nodeOf(to) && !edges.has(key)) edges.set(key, `${from} -> ${to}`)
    }
  }
  return edges
}

/** Every elementary cycle of a small graph, each once, starting from its smallest node. */
function elementaryCycles(next) {
  const nodes = [...next.keys()].sort()
  const cycles = []
  nodes.forEach((start, rank) => {
    const path = [start]
    const visit = (node) => {
      for (const to of next.get(node) ?? []) {
        if (to === start) cycles.push([...path])
        else if (nodes.indexOf(to) > rank && !path.includes(to)) {
          path.push(to)
          visit(to)
          path.pop()
        }
      }
    }
    visit(start)
  })
  return cycles
}

const problems = graph.circular().map((cycle) => `file cycle: ${[...cycle, cycle[0]].join(' -> ')}`)

const edges = folderEdges(graph.obj())
const next = new Map()
for (const key of edges.keys()) {
  const [from, to] = key.split(' -> ')
  next.set(from, [...(next.get(from) ?? []), to])
  if (!next.has(to)) next.set(to, [])
}
for (const cycle of elementaryCycles(next)) {
  const hops = cycle.map((node, i) => edges.get(`${node} -> ${cycle[(i + 1) % cycle.length]}`))
  problems.push(`folder cycle: ${[...cycle, cycle[0]].join(' -> ')}\n    via ${hops.join('\n        ')}`)
}

if (problems.length > 0) {
  console.error(`${problems.length} import cycle(s) under src/:\n${problems.join('\n')}`)
  process.exit(1)
}
console.log(`no import cycles under src/ (${Object.keys(graph.obj()).length} files, ${next.size} folders and top-level files)`)
