// The README's verdict tables of the example apps, made from each app's verdicts.json (the data
// the tests check), so the two cannot drift. Usage: node scripts/example-verdicts.mjs [--write]
// prints every table, or rewrites the README between its <!-- verdicts:APP --> markers;
// --check exits 1, naming the fix, when the README's tables differ from the data.
import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs'

const root = new URL('../', import.meta.url)
const examples = new URL('conformance/examples/', root)
const readme = new URL('README.md', root)

const code = (ids) => (ids.length === 0 ? '–' : ids.map((id) => `\`${id}\``).join(', '))

/** One app's table: a row per mode, the cases named for each verdict. */
export function verdictTable(app) {
  const { modes } = JSON.parse(readFileSync(new URL(`${app}/verdicts.json`, examples), 'utf8'))
  const rows = Object.entries(modes).map(([name, mode]) => {
    const named = (status) =>
      Object.keys(mode.expected)
        .filter((id) => mode.expected[id] === status)
        .sort()
    const how = [
      mode.env?.DEFECT !== undefined ? `\`DEFECT=${mode.env.DEFECT}\`` : '',
      mode.config !== undefined ? `\`${mode.config}\`` : '',
    ]
    return `| ${name} | ${how.filter(Boolean).join(' ') || '–'} | ${mode.about.replace(/\|/g, '\\|')} | ${code(named('fail'))} | ${code(named('not-judged'))} | ${code(named('skip'))} |`
  })
  return ['| Mode | Switch | What it is | Fails | Not judged | Skipped |', '|---|---|---|---|---|---|', ...rows].join('\n')
}

export const exampleApps = () => readdirSync(examples).filter((app) => existsSync(new URL(`${app}/verdicts.json`, examples)))

/** The README with every app's table put between its markers. */
export function withTables(text) {
  let out = text
  for (const app of exampleApps()) {
    const marker = new RegExp(`(<!-- verdicts:${app} -->)[\\s\\S]*?(<!-- /verdicts -->)`)
    if (!marker.test(out)) throw new Error(`README.md has no <!-- verdicts:${app} --> … <!-- /verdicts --> block`)
    out = out.replace(marker, (_m, open, close) => `${open}\n${verdictTable(app)}\n${close}`)
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = readFileSync(readme, 'utf8')
  if (process.argv.includes('--write')) writeFileSync(readme, withTables(text))
  else if (process.argv.includes('--check')) {
    if (withTables(text) !== text) {
      console.error(
        "README.md's example verdict tables differ from conformance/examples/*/verdicts.json: run node scripts/example-verdicts.mjs --write",
      )
      process.exit(1)
    }
  } else for (const app of exampleApps()) console.log(`${app}\n\n${verdictTable(app)}\n`)
}
