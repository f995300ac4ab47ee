/**
 * `whop-auth-mock serve`: starts with the defaults, prints its URL and ready-to-paste lines,
 * and refuses bad options with one line and exit 2 (an unknown command: one line, then the help).
 */
import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { cliPath, runCli, within } from '../../helpers/cli.js'
import { freePort } from '../../helpers/ports.js'

/** Start the CLI and read its stdout up to the banner's last line. */
async function startCli(t: Test, args: string[]): Promise<{ banner: string }> {
  const run = runCli(t, args)
  await within(20_000, 'the banner', run.printed(/Control API/))
  return { banner: run.stdout() }
}

t.test('serve prints its base URL and WHOP_BASE_URL, WHOP_API_KEY and WHOP_USER_TOKEN_JWKS_URL lines', async (t) => {
  const { banner } = await startCli(t, ['serve', '--port', '0', '--log-level', 'silent'])
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1]
  t.ok(url, 'prints where it listens')
  t.match(banner, new RegExp(`^  WHOP_BASE_URL=${url}/api/v1$`, 'm'))
  t.match(banner, /^ {2}WHOP_API_KEY=apik_[A-Za-z0-9]{13}_[AC]\d{7}(_C)?_[0-9a-f]{58,64}$/m)
  t.match(banner, new RegExp(`^  WHOP_USER_TOKEN_JWKS_URL=${url}/\\.well-known/jwks\\.json$`, 'm'))
  const health = await fetch(`${url}/_mock/health`)
  t.equal(health.status, 200)
})

t.test('options fall back to the environment (PORT, HOST)', async (t) => {
  const port = await freePort()
  const run = runCli(t, ['serve', '--log-level', 'silent'], { PORT: String(port), HOST: '127.0.0.2' })
  const url = await within(30_000, 'serve listening', run.listening())
  t.equal(url, `http://127.0.0.2:${port}`, 'listens where PORT and HOST say, not on the defaults')
  t.equal((await fetch(`${url}/_mock/health`)).status, 200)
})

t.test('bad options exit 2 with one line and no stack trace', async (t) => {
  for (const args of [
    ['serve', '--port', 'abc'],
    ['serve', '--nope'],
    ['serve', '--log-level', 'loud'],
    ['serve', '--issuer', 'not a url'],
  ]) {
    const result = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 20_000 })
    t.equal(result.status, 2, args.join(' '))
    t.match(result.stderr, /^whop-auth-mock: [^\n]+\n$/, `${args.join(' ')}: exactly one line`)
  }
})

t.test('an unknown command exits 2 with one line naming it, then the list of commands', async (t) => {
  const result = spawnSync(process.execPath, [cliPath, 'frobnicate'], { encoding: 'utf8', timeout: 20_000 })
  t.equal(result.status, 2)
  const [first, blank, ...help] = result.stderr.split('\n')
  t.equal(first, 'whop-auth-mock: unknown command "frobnicate"')
  t.equal(blank, '')
  t.match(help.join('\n'), /^whop-auth-mock .*\n\nUsage: whop-auth-mock <command>/)
  t.notMatch(result.stderr, /\n\s+at /, 'no stack trace')
  t.equal(result.stdout, '')
})

t.test('logs never carry a whole secret: query secrets show a short prefix, the Authorization header not at all', async (t) => {
  const code = 'CodeSecretValue0123456789'
  const accessToken = 'AccessSecretValue0123456789'
  const authorization = 'Bearer whop_SecretAuthorizationValue0123'
  for (const level of ['info', 'trace']) {
    const run = runCli(t, ['serve', '--port', '0', '--log-level', level])
    const url = await within(30_000, 'serve listening', run.listening())
    const res = await fetch(`${url}/v5/me?code=${code}&access_token=${accessToken}&page=2`, { headers: { authorization } })
    t.equal(res.status, 401)
    await within(
      30_000,
      'the request logged',
      new Promise<void>((resolve) => {
        const look = () => (/request completed/.test(run.stdout()) ? resolve() : undefined)
        run.child.stdout!.on('data', look)
        look()
      }),
    )
    run.child.kill('SIGTERM')
    await within(30_000, 'serve exit', run.exited)
    const logs = run.stdout() + run.stderr()
    t.match(logs, '/v5/me?', `${level}: the request was logged`)
    for (const secret of [code, accessToken, authorization, 'SecretAuthorizationValue']) t.notMatch(logs, secret, `${level}: no ${secret}`)
    const ellipsis = encodeURIComponent('…')
    t.match(
      logs,
      `code=${code.slice(0, 8)}${ellipsis}&access_token=${accessToken.slice(0, 8)}${ellipsis}&page=2`,
      `${level}: masked to a prefix, other values kept`,
    )
  }
})

t.test('--help lists every option with its environment variable', async (t) => {
  const result = spawnSync(process.execPath, [cliPath, 'serve', '--help'], { encoding: 'utf8' })
  t.equal(result.status, 0)
  for (const flag of ['--port', '--host', '--fixtures', '--issuer', '--public-url', '--key-file', '--log-level'])
    t.match(result.stdout, flag)
  t.match(result.stdout, /env PORT/)
})

t.test('serve signs on a one-thread libuv pool, unless UV_THREADPOOL_SIZE says otherwise', async (t) => {
  const fixtures = JSON.parse(readFileSync(new URL('../../../fixtures/default.json', import.meta.url), 'utf8'))
  /** Threads of a serve process once it has minted a token (signing starts the pool). */
  const threadsAfterAMint = async (env: Record<string, string>) => {
    // tap puts an --import hook in every child's NODE_OPTIONS, and an ESM hook starts the pool
    // before the entry point runs; a user's plain `node` has none.
    const run = runCli(t, ['serve', '--port', '0', '--log-level', 'silent'], env, [
      '/usr/bin/env',
      '-u',
      'NODE_OPTIONS',
      process.execPath,
      cliPath,
    ])
    const url = await within(30_000, 'serve listening', run.listening())
    const mint = await fetch(`${url}/api/v1/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fixtures.api_keys[0].key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ company_id: fixtures.companies[0].id }),
    })
    t.equal(mint.status, 200)
    const threads = readdirSync(`/proc/${run.child.pid}/task`).length
    run.child.kill('SIGKILL')
    return threads
  }
  const byDefault = await threadsAfterAMint({})
  const withFourPoolThreads = await threadsAfterAMint({ UV_THREADPOOL_SIZE: '4' })
  t.equal(withFourPoolThreads - byDefault, 3, `threads: ${byDefault} by default, ${withFourPoolThreads} with UV_THREADPOOL_SIZE=4`)
})
