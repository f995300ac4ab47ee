/**
 * `--reporter html` and `--reporter github` on real failures of the example apps: the HTML file
 * shows the page's visible text and the cookies, and the GitHub reporter prints annotations while
 * the step summary goes to GITHUB_STEP_SUMMARY.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { parse, type DefaultTreeAdapterTypes } from 'parse5'
import { runCliToEnd } from '../helpers/cli.js'
import { freePort } from '../helpers/ports.js'
import { examplesDir } from '../helpers/verdict-table.js'

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document
const textOf = (node: Node): string =>
  node.nodeName === '#text' && 'value' in node ? node.value : 'childNodes' in node ? node.childNodes.map(textOf).join('') : ''

/** An example app's config, with a defect switched on, written into the test's directory. */
function flawedConfig(t: Test, app: string, defect: string): string {
  const appDir = new URL(`${app}/`, examplesDir).pathname
  const config = JSON.parse(readFileSync(join(appDir, 'conformance.json'), 'utf8')) as { app: { env?: Record<string, string> } }
  const dir = t.testdir({
    'flawed.json': JSON.stringify({
      ...config,
      $schema: undefined,
      app: { ...config.app, cwd: appDir, env: { ...config.app.env, DEFECT: defect } },
    }),
  })
  return join(dir, 'flawed.json')
}

t.test("--reporter html: the Auth.js app's built-in error page is quoted by its visible text, not its <head>", async (t) => {
  const config = flawedConfig(t, 'authjs', 'default-error-page')
  const output = join(t.testdirName, 'report.html')
  const port = await freePort()
  const res = await runCliToEnd(t, [
    'conformance',
    '--config',
    config,
    '--app-url',
    `http://127.0.0.1:${port}`,
    '--reporter',
    'html',
    '--output',
    output,
  ])
  t.equal(res.code, 1, res.stderr)
  const errors: string[] = []
  const html = readFileSync(output, 'utf8')
  const text = textOf(parse(html, { onParseError: (e) => errors.push(e.code) }))
  t.same(errors, [])
  t.match(text, /FAIL oauth-callback-refuses-altered-state/)
  t.match(
    text,
    /What the app did[^\n]*the callback answered 500 after \d+ ms with an HTML page titled "Error": Server error There is a problem with the server configuration/,
  )
  t.notMatch(html, /<style>[^<]*<\/style>[\s\S]*<style/, 'no style of the app page leaked in')
})

t.test('--reporter github: annotations on stdout, the Markdown summary appended to GITHUB_STEP_SUMMARY, cookies named', async (t) => {
  const config = flawedConfig(t, 'nextjs-style', 'session-before-exchange')
  const summary = join(t.testdirName, 'summary.md')
  const port = await freePort()
  const res = await runCliToEnd(t, ['conformance', '--config', config, '--app-url', `http://127.0.0.1:${port}`, '--reporter', 'github'], {
    env: { GITHUB_STEP_SUMMARY: summary },
  })
  t.equal(res.code, 1, res.stderr)
  const lines = res.stdout.trimEnd().split('\n')
  // One annotation per case the mode's verdict table (verdicts.json) says fails, in the run's order.
  const table = JSON.parse(readFileSync(new URL('nextjs-style/verdicts.json', examplesDir), 'utf8')) as {
    modes: Record<string, { expected: Record<string, string> }>
  }
  const failing = Object.entries(table.modes['session-before-exchange']?.expected ?? {}).filter(([, verdict]) => verdict === 'fail')
  t.ok(failing.length > 0, 'the mode fails something')
  t.same(lines.map((l) => /^::error title=conformance ([\w-]+)::/.exec(l)?.[1]).sort(), failing.map(([id]) => id).sort())
  t.match(lines[0], /%0Aexpected: [^\n]*%0Aactual: /, 'one line, its parts joined by escaped newlines')
  t.match(lines[0], /cookies: set whop_state \(Path, Secure, SameSite, Max-Age\)/)
  const markdown = readFileSync(summary, 'utf8')
  t.match(markdown, /\| oauth-callback-refuses-altered-state \| ❌ fail \|/)
  t.match(markdown, /\| oauth-signs-in-and-reads-user \| ✅ pass \|/)
})
