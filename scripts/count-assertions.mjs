// Counts type assertions (`x as T` but not `as const`, and `<T>x`) and non-null assertions (`x!`) in the .ts files
// under a root, skipping the given prefixes. Usage: node scripts/count-assertions.mjs src src/generated  (PER=1 lists files)
import ts from 'typescript'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
const [root, ...excluded] = process.argv.slice(2)
function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (excluded.some((e) => p.startsWith(e))) continue
    if (statSync(p).isDirectory()) walk(p, out)
    else if (p.endsWith('.ts')) out.push(p)
  }
  return out
}
let as = 0,
  nn = 0
const per = {}
for (const file of walk(root, [])) {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  let a = 0,
    n = 0
  const visit = (node) => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
      const t = node.type
      const isConst = ts.isTypeReferenceNode(t) && t.typeName.getText(sf) === 'const'
      if (!isConst) a++
    }
    if (ts.isNonNullExpression(node)) n++
    ts.forEachChild(node, visit)
  }
  visit(sf)
  as += a
  nn += n
  if (a || n) per[file] = [a, n]
}
if (process.env.PER) for (const [f, [a, n]] of Object.entries(per)) console.log(a, n, f)
console.log(`as-casts ${as}  non-null ${nn}`)
