/**
 * The package as a user installs it: `npm pack` this repository, install the tarball into a
 * fresh project outside it (so nothing resolves from this repository's node_modules), then
 * start the bin, import the library, type-check its declarations and list what it ships.
 * Needs a build (`npm test` builds first) and the npm registry (or npm's cache) for the
 * package's dependencies.
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { childEnv, runCli, within } from '../helpers/cli.js'

t.setTimeout(180_000)

const run = promisify(execFile)
const repo = fileURLToPath(new URL('../..', import.meta.url))
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { name: string; version: string }
const typesNodeVersion = (JSON.parse(readFileSync(join(repo, 'node_modules/@types/node/package.json'), 'utf8')) as { version: string })
  .version
const npm = (args: string[], cwd: string) =>
  run('npm', [...args, '--no-audit', '--no-fund'], { cwd, env: childEnv(), maxBuffer: 16 * 1024 * 1024 })

const work = mkdtempSync(join(tmpdir(), 'whop-auth-mock-packed-'))
t.teardown(() => rmSync(work, { recursive: true, force: true }))
const project = join(work, 'consumer')

// Scripts are skipped: `prepare` would rebuild dist/ while other test files run it.
const packed = JSON.parse((await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo)).stdout) as [
  { filename: string },
]
const tarball = join(work, packed[0].filename)
await run('mkdir', [project])
await npm(['init', '-y'], project)
await npm(['install', '--prefer-offline', '--prefix', project, tarball, `@types/node@${typesNodeVersion}`], project)

t.test('the tarball ships the built code, spec, fixtures and README, and no tests or sources', async (t) => {
  const files = (await run('tar', ['tzf', tarball])).stdout.split('\n').filter(Boolean)
  for (const needed of [
    'package/package.json',
    'package/README.md',
    'package/dist/cli/main.cjs',
    'package/dist/cli/healthcheck.js',
    'package/dist/index.js',
    'package/dist/index.d.ts',
    'package/spec/whop-auth.openapi.yaml',
    'package/fixtures/default.json',
    'package/fixtures/schema.json',
    'package/conformance/config.schema.json',
  ]) {
    t.ok(files.includes(needed), `ships ${needed}`)
  }
  const unwanted = files.filter(
    (file) =>
      (/^package\/(test|src|conformance|bench|\.ci|\.tap|node_modules)\//.test(file) &&
        file !== 'package/conformance/config.schema.json') ||
      /\.test\./.test(file) ||
      /\.tsbuildinfo$/.test(file) ||
      (/\.ts$/.test(file) && !/\.d\.ts$/.test(file)) ||
      /^package\/(Dockerfile|\.dockerignore|docker-compose[^/]*|tsconfig[^/]*|\.taprc)$/.test(file),
  )
  t.same(unwanted, [], 'nothing the installed package does not need')
})

t.test('the installed bin starts the server, answers its health check and stops on SIGTERM', async (t) => {
  const cli = runCli(t, ['--port', '0'], {}, [join(project, 'node_modules/.bin/whop-auth-mock')])
  const url = await within(20_000, 'banner', cli.listening())
  const res = await fetch(`${url}/_mock/health`)
  t.equal(res.status, 200)
  t.match(await res.json(), { status: 'ok', version: pkg.version })
  cli.child.kill('SIGTERM')
  t.same(await within(10_000, 'exit', cli.exited), { code: 0, signal: null })
})

t.test("import { startMockServer } from 'whop-auth-mock' starts a mock on port 0 and closes it", async (t) => {
  writeFileSync(
    join(project, 'start.mjs'),
    `import { startMockServer } from '${pkg.name}'
const mock = await startMockServer({ port: 0 })
const res = await fetch(mock.url + '/_mock/health')
console.log(JSON.stringify({ url: mock.url, status: res.status, health: await res.json(), baseUrl: mock.env.WHOP_BASE_URL }))
await mock.close()
`,
  )
  const { stdout } = await run(process.execPath, ['start.mjs'], { cwd: project, env: childEnv(), timeout: 30_000 })
  const out = JSON.parse(stdout) as { url: string; status: number; health: unknown; baseUrl: string }
  t.match(out, { url: /^http:\/\/127\.0\.0\.1:\d+$/, status: 200, health: { status: 'ok', version: pkg.version } })
  t.equal(out.baseUrl, `${out.url}/api/v1`)
})

t.test("node --import whop-auth-mock/register sends the installed app's calls to api.whop.com to a mock it starts", async (t) => {
  writeFileSync(
    join(project, 'hardcoded.mjs'),
    `const res = await fetch('https://api.whop.com/.well-known/jwks.json')
console.log(JSON.stringify({ status: res.status, keys: (await res.json()).keys.length }))
`,
  )
  const { stdout, stderr } = await run(process.execPath, ['--import', `${pkg.name}/register`, 'hardcoded.mjs'], {
    cwd: project,
    env: childEnv(),
    timeout: 30_000,
  })
  t.same(JSON.parse(stdout), { status: 200, keys: 1 })
  t.match(stderr, /^whop-auth-mock\/register: Whop's hosts go to http:\/\/127\.0\.0\.1:\d+ /)
})

t.test('the type declarations compile under strict nodenext and reject a wrong option type', async (t) => {
  // .mts: an ES module whatever `npm init` put in package.json "type".
  writeFileSync(
    join(project, 'consumer.mts'),
    `import {
  buildMockServer, FixtureError, OptionError, startMockServer,
  type ApiKey, type BuiltMockServer, type Company, type Fault, type FaultSpec, type FixtureData, type JournalEntry,
  type JournalFilter, type LogLevel, type MockServer, type MockServerOptions, type OAuthApp, type User,
} from '${pkg.name}'

const level: LogLevel = 'silent'
const options: MockServerOptions = { port: 0, host: '127.0.0.1', logLevel: level, journalSize: 10, publicUrl: 'http://whop-mock:4010' }

export async function consume(): Promise<string> {
  const mock: MockServer = await startMockServer(options)
  const data: FixtureData = mock.fixtures()
  const company: Company | undefined = data.companies[0]
  const user: User | undefined = data.users[0]
  const app: OAuthApp | undefined = data.apps[0]
  const key: ApiKey | undefined = data.api_keys[0]
  const spec: FaultSpec = { path: '/api/v1/access_tokens', status: 429 }
  const fault: Fault = mock.addFault(spec)
  const filter: JournalFilter = { path: fault.path }
  const entries: JournalEntry[] = mock.journal(filter)
  mock.advanceClock(60)
  const built: BuiltMockServer = await buildMockServer({ fixtures: data })
  await built.app.close()
  await mock.close()
  const errors: Error[] = [new FixtureError('fixtures.json', '/users', 'is required'), new OptionError('bad')]
  // @ts-expect-error port is a number
  const wrong: MockServerOptions = { port: '4010' }
  return [company?.id, user?.id, app?.id, key?.name, entries.length, errors.length, mock.now().toISOString(), mock.env.WHOP_BASE_URL, wrong].join()
}
`,
  )
  const tsc = join(repo, 'node_modules/.bin/tsc')
  // ES2023 without the DOM library: the declarations must stand on Node's own types. TypeScript's
  // bundled library files are not checked again (--skipDefaultLibCheck); every other one is,
  // the package's own declarations included.
  const flags = ['--module', 'nodenext', '--moduleResolution', 'nodenext', '--noEmit', '--strict', '--lib', 'es2023', '--types', 'node']
  const result = await run(tsc, [...flags, '--skipDefaultLibCheck', 'consumer.mts'], {
    cwd: project,
    env: childEnv(),
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  )
  t.equal(result.code, 0, result.stdout)
  t.equal(result.stdout, '')
})
