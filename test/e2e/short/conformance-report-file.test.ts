/**
 * `whop-auth-mock conformance --output`: the report goes to the file, parsable in its format,
 * and the summary still goes to stdout.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCliToEnd } from '../../helpers/cli.js'
import { sampleAppDir } from '../../helpers/conformance.js'
import { freePort } from '../../helpers/ports.js'
import { findAll, parseXml } from '../../helpers/xml.js'

t.test('--reporter junit --output writes the report to the file and still prints the summary', async (t) => {
  const dir = t.testdir({
    'flawed.json': JSON.stringify({
      app: { baseUrl: 'http://127.0.0.1:0', start: 'node server.js', cwd: sampleAppDir, env: { DEFECT: 'no-scoped-actions' } },
      tokenRoute: {
        path: '/api/chat/token',
        signIn: { headers: { 'x-demo-user': 'sam' } },
        userId: 'user_lgLKOmxgJTeKd',
        companyId: 'biz_u8jzPde0IgxLd6',
      },
    }),
  })
  const port = await freePort()
  const output = join(dir, 'report.xml')
  const res = await runCliToEnd(t, [
    'conformance',
    '--config',
    join(dir, 'flawed.json'),
    '--app-url',
    `http://127.0.0.1:${port}`,
    '--reporter',
    'junit',
    '--output',
    output,
  ])
  t.equal(res.code, 1, res.stderr)
  t.match(res.stdout, /FAIL {2}token-route-asks-for-explicit-scoped-actions/)
  const failed = findAll(parseXml(readFileSync(output, 'utf8')), 'testcase').filter((c) => findAll(c, 'failure').length > 0)
  t.same(
    failed.map((c) => c.attributes.name),
    ['token-route-asks-for-explicit-scoped-actions'],
  )
})
