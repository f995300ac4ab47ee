/**
 * Clients in other languages through the proxy, unmodified: Debian's python3 with requests and
 * curl, both with Whop's URLs written in and only the proxy and the CA in their environment or
 * flags. Needs the system packages (apt-get install python3-requests curl): `npm run test:proxy`.
 * @see docs/whop-reference.md §2.3, §2.4 (the v5 exchange and /v5/me)
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { request } from 'undici'
import { confidentialApp, jane } from '../helpers/fixtures.js'
import { legacyAuthorizeQuery } from '../helpers/legacy.js'
import { startProxiedMock, type ProxiedMock } from '../helpers/proxy.js'

const run = promisify(execFile)
const PYTHON = '/usr/bin/python3'
const CURL = '/usr/bin/curl'
const CLIENT = fileURLToPath(new URL('./whop_v5_client.py', import.meta.url))
const HOW = 'install them with: apt-get install python3-requests curl'

async function requireSystemPackages(): Promise<void> {
  if (!existsSync(CURL)) throw new Error(`No curl at ${CURL}: ${HOW}`)
  if (!existsSync(PYTHON)) throw new Error(`No Debian python3 at ${PYTHON}: ${HOW}`)
  await run(PYTHON, ['-c', 'import requests']).catch(() => {
    throw new Error(`${PYTHON} cannot import requests: ${HOW}`)
  })
}

/** A real code from the mock's legacy page (auto-approved), fetched at whop.com through the proxy. */
async function legacyCode({ agent }: ProxiedMock): Promise<string> {
  const res = await request(`https://whop.com/oauth/?${legacyAuthorizeQuery()}`, { dispatcher: agent })
  await res.body.dump()
  return new URL(String(res.headers.location)).searchParams.get('code') ?? ''
}

/** The environment of a process that knows only the proxy: none of the caller's proxy settings leak in. */
function proxiedEnv(proxied: ProxiedMock, extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(https?|no|all)_proxy$/i.test(name)))
  return {
    ...inherited,
    HTTPS_PROXY: proxied.proxy.url,
    HTTP_PROXY: proxied.proxy.url,
    REQUESTS_CA_BUNDLE: proxied.proxy.caBundleFile,
    ...extra,
  }
}

t.test(
  'Python requests with HTTPS_PROXY and REQUESTS_CA_BUNDLE exchanges a code at api.whop.com/v5/oauth/token and reads /v5/me',
  async (t) => {
    await requireSystemPackages()
    const proxied = await startProxiedMock(t, {}, { autoApprove: true })
    const code = await legacyCode(proxied)
    t.match(code, /\S{8}/, 'a real code from the mock')
    const { stdout } = await run(PYTHON, [CLIENT], {
      env: proxiedEnv(proxied, {
        WHOP_CODE: code,
        WHOP_CLIENT_ID: confidentialApp.id,
        WHOP_CLIENT_SECRET: confidentialApp.client_secret ?? '',
        WHOP_REDIRECT_URI: confidentialApp.redirect_uris[0] ?? '',
      }),
      timeout: 60_000,
    })
    const out = JSON.parse(stdout) as { token_status: number; me_status: number; me: Record<string, unknown> }
    t.equal(out.token_status, 200)
    t.equal(out.me_status, 200)
    t.match(out.me, { id: jane.id, username: jane.username })
    const asked = (await proxied.mock.context.journal.entries()).map((entry) => entry.original_url?.split('?')[0])
    t.same(asked.slice(-2), ['https://api.whop.com/v5/oauth/token', 'https://api.whop.com/v5/me'], "the journal shows Whop's URLs")
  },
)

t.test('curl with --proxy and --cacert reaches the mock at Whop URLs, and is refused elsewhere', async (t) => {
  await requireSystemPackages()
  const proxied = await startProxiedMock(t, {}, { autoApprove: true })
  const curl = (args: string[]) =>
    run(CURL, ['-sS', '--proxy', proxied.proxy.url, '--cacert', proxied.proxy.caFile, ...args], { timeout: 60_000 })
  const code = await legacyCode(proxied)
  const token = await curl([
    'https://api.whop.com/v5/oauth/token',
    '--data-urlencode',
    `code=${code}`,
    '--data-urlencode',
    `client_id=${confidentialApp.id}`,
    '--data-urlencode',
    `client_secret=${confidentialApp.client_secret ?? ''}`,
    '--data-urlencode',
    `redirect_uri=${confidentialApp.redirect_uris[0] ?? ''}`,
  ])
  const accessToken = String((JSON.parse(token.stdout) as Record<string, unknown>).access_token)
  const me = await curl(['https://api.whop.com/v5/me', '-H', `Authorization: Bearer ${accessToken}`])
  t.match(JSON.parse(me.stdout), { id: jane.id })
  const jwks = await curl(['http://data.whop.com/.well-known/jwks.json'])
  t.match(JSON.parse(jwks.stdout), { keys: [{ kid: proxied.mock.context.key.kid }] }, 'plain http too')
  const elsewhere = await curl(['-w', '%{http_code}', '-o', '/dev/null', 'http://example.com/']).catch((error: { stdout: string }) => error)
  t.equal(elsewhere.stdout, '502', 'another host: the 502 page')
  await t.rejects(curl(['https://example.com/']), { code: 56, stderr: /CONNECT tunnel failed, response 502/ })
})
