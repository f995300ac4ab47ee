/**
 * The in-process tests (test/*.test.ts and test/unit/*.test.ts: no child processes, every server
 * on loopback inside this process) run in shards, one process each, instead of one process per
 * file: each file then costs its own tests, not another start of Node, tsx and the source tree.
 * A file is still runnable alone (`npx tap test/discovery.test.ts`); tests that start processes
 * live in test/e2e/ and run one file per process.
 */
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { join } from 'node:path'
import t from 'tap'

const testRoot = fileURLToPath(new URL('..', import.meta.url))

/** Every in-process test file, as paths relative to test/, in a stable order. */
export function inProcessFiles(): string[] {
  const listed = (folder: string) =>
    readdirSync(join(testRoot, folder))
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => join(folder, name))
  return [...listed('.'), ...listed('unit')].sort()
}

/** Run the files whose position in the list is `index` modulo `count`, one after another. */
export async function runShard(index: number, count: number): Promise<void> {
  const files = inProcessFiles().filter((_, position) => position % count === index)
  t.comment(`in-process shard ${index + 1} of ${count}: ${files.length} files`)
  for (const file of files) {
    t.comment(`file: test/${file}`)
    await import(pathToFileURL(join(testRoot, file)).href)
  }
}
