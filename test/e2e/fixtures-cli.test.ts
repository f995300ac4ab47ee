/**
 * What an invalid fixture file does to `serve`: exit 2, one line naming the JSON path, no stack trace.
 * @see whop-auth-reference §9 (fixture defaults)
 */
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { defaults } from '../helpers/fixtures.js'

const cli = new URL('../../dist/cli/main.cjs', import.meta.url).pathname

t.test('serve with an invalid fixture file exits 2 with one line naming the path, and no stack trace', async (t) => {
  const bad = structuredClone(defaults) as any
  bad.apps[0].redirect_uris = []
  const dir = t.testdir({ 'bad.json': JSON.stringify(bad), 'notjson.json': '{"companies": [' })
  const run = (file: string) =>
    spawnSync(process.execPath, [cli, 'serve', '--port', '0', '--fixtures', file], { encoding: 'utf8', timeout: 20_000 })
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
