/** The README's verdict tables of the example apps are the ones their tests check (verdicts.json). */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'

t.test("the README's example verdict tables match conformance/examples/*/verdicts.json", async (t) => {
  const script = fileURLToPath(new URL('../../../scripts/example-verdicts.mjs', import.meta.url))
  const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' })
  t.equal(run.status, 0, run.stderr)
})
