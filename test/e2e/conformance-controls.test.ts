/**
 * No vacuous verdicts: refusal and leak cases are judged only against a positive control (a
 * normal sign-in, a normal mint) that succeeded in the same run, else "not judged" with the
 * control's failure on top of the report and exit 1; and the runner never judges an app that
 * is not the one it started: a taken port, or an app that died after it answered, exits 2.
 */
import t from 'tap'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { runConformance } from '../../src/conformance/runner.js'
import { runCliToEnd as runCli } from '../helpers/cli.js'
import { sampleAppDir, sampleConfig, sampleConfigCopy, sampleConfigFile } from '../helpers/conformance.js'
import { freePort } from '../helpers/ports.js'

t.test('with sign-in broken, the CLI exits 1 with the failed control on top and the refusal cases marked not judged', async (t) => {
  const config = sampleConfigCopy({ DEFECT: 'sign-in-broken' })
  const dir = t.testdir({ 'c.json': JSON.stringify(config) })
  const res = await runCli(t, ['conformance', '--config', join(dir, 'c.json'), '--app-url', `http://127.0.0.1:${await freePort()}`])
  t.equal(res.code, 1, res.stderr)
  const [header, blank, top] = res.stdout.split('\n')
  t.match(header, /^whop-auth-mock conformance: app /)
  t.equal(blank, '')
  t.match(
    top,
    /^NOT JUDGED: 22 cases, because the positive control \(a normal sign-in\) failed: after a normal sign-in, GET \/me answered 401/,
  )
  t.match(res.stdout, /NOT JUDGED {2}oauth-callback-refuses-altered-state\n/)
  t.notMatch(res.stdout, /pass {2}oauth-callback-refuses-/, 'no refusal case passes')
  t.match(res.stdout, /, 22 not judged \(44 cases\)/)
})

t.test('a token route that mints for nobody does not pass "refuses anonymous caller"', async (t) => {
  const result = await runConformance(await sampleConfig({ DEFECT: 'mints-for-nobody' }))
  const anonymous = result.results.find((r) => r.id === 'token-route-refuses-anonymous-caller')
  t.match(anonymous, {
    status: 'not-judged',
    reason:
      /^not judged: the positive control \(a normal token request by the signed-in caller\) failed in this run: the token route answered 401/,
  })
  t.equal(result.counts.notJudged, 9)
})

t.test('an app port already taken before the app starts exits 2 naming the port, and the squatter is not judged', async (t) => {
  const squatter = createServer((_req, res) => res.end('{"status":"ok"}'))
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => squatter.close(resolve)))
  const { port } = squatter.address() as { port: number }
  let hits = 0
  squatter.on('request', () => hits++)
  const res = await runCli(t, ['conformance', '--config', sampleConfigFile, '--app-url', `http://127.0.0.1:${port}`])
  t.equal(res.code, 2, res.stdout)
  t.match(res.stderr, `conformance could not start: port ${port} on 127.0.0.1 is already taken by another process before the app started`)
  t.equal(hits, 0, 'no request reached the process holding the port')
})

t.test('an app that dies after it answered stops the run: exit 2 naming the exit and its last output', async (t) => {
  const port = await freePort()
  // Answers the readiness check, then exits on the first request for anything else.
  const app = `node -e "require('http').createServer((q,s)=>{if(q.url!=='/'){console.error('crashed on '+q.url);process.exit(7)}s.end('ok')}).listen(${port},'127.0.0.1')"`
  const res = await runCli(
    t,
    [
      'conformance',
      '--app-url',
      `http://127.0.0.1:${port}`,
      '--start',
      app,
      '--token-path',
      '/api/chat/token',
      '--user-id',
      'user_lgLKOmxgJTeKd',
      '--company-id',
      'biz_u8jzPde0IgxLd6',
    ],
    { cwd: sampleAppDir },
  )
  t.equal(res.code, 2, res.stdout)
  t.match(
    res.stderr,
    /the app stopped during the run \(exit code 7\) after it had answered at http:\/\/127\.0\.0\.1:\d+\/[\s\S]*crashed on \/api\/chat\/token/,
  )
  t.equal(res.stdout, '', 'no report judges a dead app')
})
