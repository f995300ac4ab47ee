/**
 * `serve --state-file`: a missing file is an empty start, a clean stop writes every tenant's state
 * atomically, a restart loads it (an app's refresh token keeps working), and a corrupt or
 * incompatible file stops the start with exit 2 and one line, and is left untouched.
 */
import t from 'tap'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, within } from '../../helpers/cli.js'
import { bearer, call } from '../../helpers/http.js'
import { publicApp } from '../../helpers/fixtures.js'
import { autoApprovedSignIn, exchangeCurrent } from '../../helpers/oauth.js'

const GUARD_MS = 30_000

const signIn = (base: string) => autoApprovedSignIn(base)

const refresh = (base: string, token: string) =>
  exchangeCurrent(base, { grant_type: 'refresh_token', refresh_token: token, client_id: publicApp.id })

t.test('state written at a clean stop is loaded at the next start: refresh tokens of every tenant still work', async (t) => {
  const dir = t.testdir()
  const stateFile = join(dir, 'state.json')
  // Port 0 moves the URL between runs: a fixed issuer and key keep access tokens valid, as in a real setup.
  const keep = ['--state-file', stateFile, '--key-file', join(dir, 'key.json'), '--issuer', 'http://whop-mock.test']
  const args = ['serve', '--port', '0', '--log-level', 'silent', ...keep]
  const first = runCli(t, args)
  const url = await within(GUARD_MS, 'first start', first.listening())
  t.notOk(existsSync(stateFile), 'a missing file is an empty start')
  const root = await signIn(url)
  const dev = await signIn(`${url}/t/dev`)
  await call('POST', `${url}/t/dev/_mock/clock`, { json: { advance_seconds: 600 } })
  first.child.kill('SIGTERM')
  t.match(await within(GUARD_MS, 'first stop', first.exited), { code: 0 })
  t.ok(existsSync(stateFile), 'written at the stop')
  t.strictSame(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary file left behind',
  )
  const saved = JSON.parse(readFileSync(stateFile, 'utf8'))
  t.equal(saved.version, 1)
  t.strictSame(
    saved.tenants.map((x: { name: string | null }) => x.name),
    [null, 'dev'],
  )

  const second = runCli(t, args)
  const again = await within(GUARD_MS, 'second start', second.listening())
  t.equal((await refresh(again, root.refresh_token)).status, 200, "the default tenant's refresh token works after the restart")
  t.equal((await refresh(`${again}/t/dev`, dev.refresh_token)).status, 200, "and the tenant's")
  t.equal(
    (await call('GET', `${again}/oauth/userinfo`, { headers: bearer(root.access_token) })).status,
    200,
    'with --key-file and a fixed issuer, access tokens too',
  )
  t.equal((await call('GET', `${again}/t/dev/_mock/clock`)).body.offset_seconds, 600, 'the clock offset came back')
  second.child.kill('SIGTERM')
  t.match(await within(GUARD_MS, 'second stop', second.exited), { code: 0 })
})

t.test('a corrupt or incompatible state file stops the start with exit 2 and one line, and is not overwritten', async (t) => {
  const dir = t.testdir()
  for (const [what, text, pattern] of [
    ['not JSON', '{"version": 1, ', /state file .* is not JSON/],
    [
      'another version',
      JSON.stringify({ format: 'whop-auth-mock-state', version: 2, tenants: [] }),
      /has state version 2; this mock reads version 1 only/,
    ],
    ['wrong shape', JSON.stringify({ format: 'whop-auth-mock-state', version: 1, tenants: [{ name: 'x' }] }), /is not a state document/],
  ] as const) {
    const file = join(dir, `${what.replace(/ /g, '-')}.json`)
    writeFileSync(file, text)
    const cli = runCli(t, ['serve', '--port', '0', '--log-level', 'silent', '--state-file', file])
    t.match(await within(GUARD_MS, `${what} exit`, cli.exited), { code: 2 }, what)
    const lines = cli.stderr().trim().split('\n')
    t.equal(lines.length, 1, `${what}: one line`)
    t.match(lines[0], pattern, what)
    t.equal(readFileSync(file, 'utf8'), text, `${what}: the file is untouched`)
  }
})
