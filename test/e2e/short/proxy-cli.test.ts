/**
 * `serve --proxy-port` from the command line: the banner names the proxy and the CA files to
 * trust, a client using them reaches the mock at Whop's URLs, a bind beyond loopback is warned
 * about, and the CA files go when the mock stops. Needs a build (npm test builds first).
 */
import t from 'tap'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { ProxyAgent, request } from 'undici'
import { runCli, runCliToEnd, within } from '../../helpers/cli.js'

/** Wait until the banner has printed its proxy lines. */
async function proxyBanner(run: ReturnType<typeof runCli>): Promise<{ proxy: string; ca: string; bundle: string }> {
  await within(30_000, 'the proxy banner', run.printed(/^ {2}curl --proxy /m))
  const banner = run.stdout()
  const proxy = /^HTTPS proxy for Whop's hosts: (\S+)$/m.exec(banner)?.[1] ?? ''
  const ca = /^ {2}trust the CA (\S+) \(public roots plus it: (\S+)\)$/m.exec(banner)
  return { proxy, ca: ca?.[1] ?? '', bundle: ca?.[2] ?? '' }
}

t.test('serve --proxy-port names the proxy and the CA; through them curl-like clients reach the mock at api.whop.com', async (t) => {
  const run = runCli(t, ['serve', '--port', '0', '--proxy-port', '0', '--log-level', 'silent'])
  const { proxy, ca, bundle } = await proxyBanner(run)
  t.match(proxy, /^http:\/\/127\.0\.0\.1:\d+$/, 'on loopback by default')
  t.notMatch(run.stdout(), /WARNING/, 'and so no warning')
  t.match(run.stdout(), `REQUESTS_CA_BUNDLE=${bundle}`)
  t.match(run.stdout(), `NODE_EXTRA_CA_CERTS=${ca}`)
  t.equal(statSync(`${dirname(ca)}/ca-key.pem`).mode & 0o777, 0o600)
  const agent = new ProxyAgent({ uri: proxy, requestTls: { ca: readFileSync(ca, 'utf8') } })
  t.teardown(() => agent.close())
  const res = await request('https://api.whop.com/.well-known/openid-configuration', { dispatcher: agent })
  t.equal(res.statusCode, 200)
  t.match(await res.body.json(), { issuer: /^http:\/\/127\.0\.0\.1:\d+$/ })
  run.child.kill('SIGTERM')
  await run.closed
  t.notOk(existsSync(dirname(ca)), 'the CA files go when serve stops')
})

t.test('a proxy bound beyond loopback is warned about in the banner', async (t) => {
  const run = runCli(t, ['serve', '--port', '0', '--proxy-port', '0', '--proxy-host', '0.0.0.0', '--log-level', 'silent'])
  await proxyBanner(run)
  t.match(run.stdout(), /^WARNING: the proxy listens beyond loopback/m)
  run.child.kill('SIGTERM')
  await run.closed
})

t.test('the proxy options refuse what cannot work, in one line', async (t) => {
  const alone = await runCliToEnd(t, ['serve', '--port', '0', '--proxy-passthrough'])
  t.equal(alone.code, 2)
  t.match(alone.stderr, /the --proxy-\* options need --proxy-port/)
  const half = await runCliToEnd(t, ['serve', '--port', '0', '--proxy-port', '0', '--proxy-ca-cert', 'ca.pem'])
  t.match(half.stderr, /--proxy-ca-cert and --proxy-ca-key go together/)
  const missing = await runCliToEnd(t, [
    'serve',
    '--port',
    '0',
    '--proxy-port',
    '0',
    '--proxy-ca-cert',
    'no.pem',
    '--proxy-ca-key',
    'no-key.pem',
  ])
  t.not(missing.code, 0)
  t.match(missing.stderr, /proxy CA certificate no\.pem cannot be read \(ENOENT\)/)
})
