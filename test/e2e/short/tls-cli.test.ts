/**
 * HTTPS from the command line: `serve --tls` makes a self-signed certificate, names its file in
 * the banner for clients to trust, and removes it when it stops.
 * @see docs/whop-reference.md §4.3 step 4, §9 ("Serve https")
 */
import t from 'tap'
import { X509Certificate } from 'node:crypto'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { runCli, within } from '../../helpers/cli.js'
import { getJson, trusting } from '../../helpers/tls.js'

t.test(
  'the CLI with --tls prints an https URL and the certificate file, which clients can trust and which goes when it stops',
  async (t) => {
    // runCli reads stdout to the end: a closed stdout would fail the mock's own "stopping" line.
    const run = runCli(t, ['serve', '--port', '0', '--tls', '--log-level', 'silent'])
    let certificateFile: string | undefined = undefined // set once the banner names it; the teardown reads it
    t.teardown(() => {
      if (certificateFile !== undefined) rmSync(certificateFile, { force: true })
    })
    await within(20_000, 'the certificate line', run.printed(/^TLS certificate: .*\n/m))
    const banner = run.stdout()
    const url = /listening on (https:\/\/127\.0\.0\.1:\d+)$/m.exec(banner)?.[1]
    t.ok(url, 'an https URL')
    certificateFile = /^TLS certificate: (\S+) /m.exec(banner)?.[1]
    t.ok(certificateFile !== undefined && existsSync(certificateFile), `the certificate file ${certificateFile} exists`)
    t.match(banner, new RegExp(`NODE_EXTRA_CA_CERTS=${certificateFile}`))
    const pem = readFileSync(certificateFile!, 'utf8')
    t.equal(new X509Certificate(pem).checkIP('127.0.0.1'), '127.0.0.1')
    const health = await getJson(`${url}/_mock/health`, trusting(t, pem))
    t.match(health, { status: 200, body: { status: 'ok', base_url: url } })
    run.child.kill('SIGTERM')
    t.same(await run.exited, { code: 0, signal: null })
    t.notOk(existsSync(certificateFile!), 'the certificate file is removed when the mock stops')
  },
)
