/**
 * What an invalid fixture file does to `serve`: exit 2, one line naming the JSON path, no stack trace.
 * @see docs/whop-reference.md §9 (fixture defaults)
 */
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { defaults } from '../../helpers/fixtures.js'
import { cliPath, runCli, within } from '../../helpers/cli.js'
import { bearer, call } from '../../helpers/http.js'

t.test('serve with an invalid fixture file exits 2 with one line naming the path, and no stack trace', async (t) => {
  const bad = structuredClone(defaults) as any
  bad.apps[0].redirect_uris = []
  const dir = t.testdir({ 'bad.json': JSON.stringify(bad), 'notjson.json': '{"companies": [' })
  const run = (file: string) =>
    spawnSync(process.execPath, [cliPath, 'serve', '--port', '0', '--fixtures', file], { encoding: 'utf8', timeout: 20_000 })
  const result = run(`${dir}/bad.json`)
  t.equal(result.status, 2)
  t.equal(result.stderr.trim().split('\n').length, 1, 'one line')
  t.match(result.stderr, /\/apps\/0\/redirect_uris must NOT have fewer than 1 items/)
  t.notMatch(result.stderr, /\bat .*\.js:\d+/, 'no stack trace')
  const notJson = run(`${dir}/notjson.json`)
  t.equal(notJson.status, 2)
  t.match(notJson.stderr, /is not valid JSON/)
  const missing = run(`${dir}/missing.json`)
  t.equal(missing.status, 2)
  t.match(missing.stderr, /cannot be read \(ENOENT\)/)
})

t.test('a fixture file with the older whop_ keys still serves, with one deprecation line at start', async (t) => {
  const legacy = structuredClone(defaults)
  legacy.api_keys[0] = { ...legacy.api_keys[0]!, key: 'whop_legacylegacylegacy1234' }
  const dir = t.testdir({ 'legacy.json': JSON.stringify(legacy) })
  const run = runCli(t, ['serve', '--port', '0', '--fixtures', `${dir}/legacy.json`, '--log-level', 'silent'])
  const url = await within(20_000, 'the CLI to listen', run.listening())
  const res = await call('POST', `${url}/api/v1/access_tokens`, {
    headers: bearer('whop_legacylegacylegacy1234'),
    json: { company_id: legacy.companies[0]!.id },
  })
  t.equal(res.status, 200, 'the old key still works')
  const lines = run.stderr().trim().split('\n')
  t.equal(lines.length, 1)
  t.match(lines[0], /deprecated: 1 fixture API key\(s\) start with whop_; real Whop keys start with apik_/)
  run.child.kill('SIGTERM')
  await run.exited
})

t.test('the built-in fixtures start without a deprecation line', async (t) => {
  const run = runCli(t, ['serve', '--port', '0', '--log-level', 'silent'])
  await within(20_000, 'the CLI to listen', run.listening())
  t.notMatch(run.stderr(), /deprecated/)
  t.match(run.stdout(), /WHOP_API_KEY=apik_/, 'the banner pastes a real-format key')
  run.child.kill('SIGTERM')
  await run.exited
})
