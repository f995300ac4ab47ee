/**
 * `serve` with the control API's lock: beyond loopback without a token, the banner and the log
 * each say so in one WARNING line; with --control-token (or WHOP_MOCK_CONTROL_TOKEN) the control
 * API wants it, health stays open and the healthcheck passes.
 */
import t, { type Test } from 'tap'
import { runCli, runCliToEnd, within } from '../../helpers/cli.js'

const TOKEN = 'cli-control-token-42'

/** Start serve and read stdout (log lines and banner) up to the banner's last line. */
async function startServe(t: Test, args: string[], env: Record<string, string> = {}): Promise<{ out: string; url: string }> {
  const run = runCli(t, ['serve', '--port', '0', ...args], env)
  await within(20_000, "the banner's last line", run.printed(/Control API/))
  const out = run.stdout()
  return { out, url: /listening on (https?:\/\/\S+)/.exec(out)?.[1] ?? '' }
}

t.test('a wildcard bind without a control token warns in the banner and in the log, one line each', async (t) => {
  const { out } = await startServe(t, ['--host', '0.0.0.0', '--log-level', 'warn'])
  const lines = out.split('\n').filter((line) => line.includes('WARNING: the mock listens beyond loopback without a control token'))
  t.equal(lines.length, 2, 'one banner line and one log line')
  t.ok(
    lines.some((line) => line.startsWith('{') && JSON.parse(line).level === 40),
    'the log line is at warn level',
  )
})

t.test('with WHOP_MOCK_CONTROL_TOKEN the control API is locked, health is open, and the healthcheck passes', async (t) => {
  const { out, url } = await startServe(t, ['--host', '0.0.0.0', '--log-level', 'warn'], { WHOP_MOCK_CONTROL_TOKEN: TOKEN })
  t.notMatch(out, /WARNING/, 'no warning once locked')
  t.equal((await fetch(`${url}/_mock/fixtures`)).status, 401)
  t.equal((await fetch(`${url}/_mock/fixtures`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200)
  t.equal((await fetch(`${url}/_mock/health`)).status, 200)
  const check = await runCliToEnd(t, ['healthcheck', '--url', url, '--control-token', TOKEN])
  t.equal(check.code, 0, check.stdout + check.stderr)
})

t.test('--control-token on the command line locks the control API the same way, tenant routes included', async (t) => {
  const { out, url } = await startServe(t, ['--host', '0.0.0.0', '--log-level', 'warn', '--control-token', TOKEN])
  t.notMatch(out, /WARNING/, 'no warning once locked')
  t.equal((await fetch(`${url}/_mock/journal`)).status, 401)
  t.equal((await fetch(`${url}/t/ci-1/_mock/journal`)).status, 401, "a tenant's control routes are locked too")
  t.equal((await fetch(`${url}/t/ci-1/_mock/journal`, { headers: { 'x-mock-control-token': TOKEN } })).status, 200)
  t.equal((await fetch(`${url}/_mock/health`)).status, 200)
})
