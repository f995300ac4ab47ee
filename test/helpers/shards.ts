/**
 * Test files that share a process: a shard runs its files one after another in one process, so
 * each file costs its own tests and not another start of Node, tsx, tap's process tracker and
 * the modules it loads (1.3 to 1.7 s of CPU a process, measured on two cores; about half is the
 * module-hook thread that tsx and tap's tracker both start). Two kinds use it:
 *  - the in-process tests (test/*.test.ts, test/unit/*.test.ts: no child processes, every server
 *    on loopback inside this process), through test/in-process/shard-*.test.ts;
 *  - the short process tests (test/e2e/short/: each file starts a few CLI processes and is done
 *    in seconds), through test/e2e/short-*.test.ts. Long e2e files (conformance runs, the packed
 *    package) keep a process each, so tap can run them side by side while they wait.
 * `.taprc` leaves the shared files out of tap's own list; a file named on the command line
 * (`npx tap test/discovery.test.ts`) still runs alone.
 */
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { join } from 'node:path'
import t from 'tap'

const testRoot = fileURLToPath(new URL('..', import.meta.url))

/** The test files in these folders (relative to test/), as paths relative to test/, in a stable order. */
export function filesIn(folders: string[]): string[] {
  const listed = (folder: string) =>
    readdirSync(join(testRoot, folder))
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => join(folder, name))
  return folders.flatMap(listed).sort()
}

/** The in-process test files. */
export const IN_PROCESS = ['.', 'unit']
/** The short process tests. */
export const SHORT_E2E = ['e2e/short']

/** Run the files of `folders` whose position in the list is `index` modulo `count`, one after another. */
export async function runShard(folders: string[], index: number, count: number): Promise<void> {
  const files = filesIn(folders).filter((_, position) => position % count === index)
  t.comment(`shard ${index + 1} of ${count} of ${folders.join(', ')}: ${files.length} files`)
  for (const file of files) {
    t.comment(`file: test/${file}`)
    await import(pathToFileURL(join(testRoot, file)).href)
  }
}
