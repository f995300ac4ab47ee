/**
 * The built-in fixtures, the fixture file format, and what an invalid file does to a build
 * (test/e2e/short/fixtures-cli.test.ts: what it does to `serve`).
 * @see docs/whop-reference.md §5 (ID formats), §9 (fixture defaults)
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { FixtureError } from '../src/errors/startup.js'
import { checkFixtures, readFixtureFile } from '../src/state/fixtures.js'
import { defaults } from './helpers/fixtures.js'
import { readBuildRecord, sha256Of } from '../src/build-record.js'
import { defaultFixturesPath } from '../src/paths.js'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'

/** Whop's key shape as public apps show it (reference §5 [T11]). */
const REAL_KEY = /^apik_[A-Za-z0-9]{13}_[AC]\d{7}(_C)?_[0-9a-f]{58,64}$/

t.test('the built-in fixtures hold companies with members, users with profiles, two apps and three kinds of key', async (t) => {
  const withMembers = defaults.companies.filter((c) => c.member_ids.length > 0)
  t.ok(withMembers.length >= 2, '≥ 2 companies with member users')
  t.ok(defaults.users.length >= 3)
  for (const u of defaults.users) t.match(u, { id: /^user_[A-Za-z0-9]{13}$/, username: String, name: String, profile_pic_url: /^https:/ })
  for (const c of defaults.companies) t.match(c.id, /^biz_[A-Za-z0-9]{14}$/)
  for (const a of defaults.apps) {
    t.match(a.id, /^app_[A-Za-z0-9]{14}$/)
    t.ok(
      a.redirect_uris.every((u) => u.startsWith('http://localhost:3000/')),
      `${a.name} redirects to localhost:3000`,
    )
  }
  t.same(defaults.apps.map((a) => a.client_type).sort(), ['confidential', 'public'])
  t.ok(defaults.apps.find((a) => a.client_type === 'confidential')!.client_secret)
  t.ok(
    defaults.api_keys.every((k) => REAL_KEY.test(k.key)),
    'built-in API keys have the shape of real Whop keys',
  )
  t.ok(
    defaults.apps.every((a) => a.client_secret === undefined || REAL_KEY.test(a.client_secret)),
    'so do client secrets',
  )
  const chat = [
    'chat:message:create',
    'chat:read',
    'dms:read',
    'dms:message:manage',
    'dms:channel:manage',
    'support_chat:read',
    'support_chat:message:create',
  ]
  t.ok(
    defaults.api_keys.some((k) => k.kind === 'company' && chat.every((p) => k.permissions.includes(p))),
    'a company key with the chat, dms and support_chat actions',
  )
  t.ok(
    defaults.api_keys.some((k) => k.kind === 'company' && k.permissions.length < chat.length),
    'a restricted key',
  )
  t.ok(
    defaults.api_keys.some((k) => k.kind === 'app' && k.app_id !== undefined),
    'an app API key',
  )
})

t.test('the built-in fixtures were checked against their schema at build, for exactly these bytes', async (t) => {
  const record = readBuildRecord()
  t.ok(record, 'npm run build wrote its record')
  t.equal(record!.fixtures.sha256, sha256Of(readFileSync(defaultFixturesPath)))
})

t.test('the fixture schema ships beside the fixtures and the default file names it', async (t) => {
  const schema = JSON.parse(readFileSync(new URL('../fixtures/schema.json', import.meta.url), 'utf8'))
  t.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema')
  t.equal((defaults as unknown as { $schema: string }).$schema, './schema.json')
})

const invalid: [string, (f: any) => void, RegExp][] = [
  ['a missing field', (f) => delete f.users[0].username, /^\/users\/0\/username is required$/],
  ['an unknown field', (f) => (f.users[1].nickname = 'x'), /^\/users\/1\/nickname is not a known field$/],
  ['a malformed id', (f) => (f.companies[0].id = 'company_1'), /^\/companies\/0\/id must match pattern/],
  [
    'a key without the apik_ or whop_ prefix',
    (f) => (f.api_keys[0].key = 'sk_live_1234567890abcdef'),
    /^\/api_keys\/0\/key must match pattern/,
  ],
  ['a confidential app without a secret', (f) => delete f.apps[0].client_secret, /^\/apps\/0\/client_secret is required$/],
  ['a public app with a secret', (f) => (f.apps[1].client_secret = 'x'.repeat(20)), /^\/apps\/1\/client_secret is not allowed here$/],
  [
    'a member who is not a user',
    (f) => f.companies[0].member_ids.push('user_nobody'),
    /^\/companies\/0\/member_ids\/2 names unknown user user_nobody$/,
  ],
  ['a repeated id', (f) => f.users.push({ ...f.users[0] }), /^\/users\/4 repeats user_/],
  [
    'a key reaching an unknown company',
    (f) => (f.api_keys[1].company_ids = ['biz_nowhere']),
    /^\/api_keys\/1\/company_ids\/0 names unknown company biz_nowhere$/,
  ],
]

for (const [what, mutate, expected] of invalid) {
  t.test(`a fixture file with ${what} is refused naming the JSON path`, async (t) => {
    const data = structuredClone(defaults) as any
    mutate(data)
    const error = t.throws(() => checkFixtures(data)) as FixtureError
    t.type(error, FixtureError)
    t.match(`${error.path} ${error.problem}`, expected)
  })
}

t.test('a custom fixture file replaces the built-in one', async (t) => {
  const custom = structuredClone(defaults)
  custom.api_keys = [
    {
      key: 'whop_customcustomcustom1234',
      name: 'custom',
      kind: 'company',
      company_ids: [custom.companies[0]!.id],
      permissions: ['chat:read'],
    },
  ]
  const dir = t.testdir({ 'custom.json': JSON.stringify(custom) })
  t.same(readFixtureFile(`${dir}/custom.json`).api_keys, custom.api_keys)
  const mock = await startMock(t, { fixtures: `${dir}/custom.json` })
  const res = await call('POST', `${mock.url}/api/v1/access_tokens`, {
    headers: bearer('whop_customcustomcustom1234'),
    json: { company_id: custom.companies[0]!.id },
  })
  t.equal(res.status, 200)
  const old = await call('POST', `${mock.url}/api/v1/access_tokens`, {
    headers: bearer(defaults.api_keys[0]!.key),
    json: { company_id: custom.companies[0]!.id },
  })
  t.equal(old.status, 401, 'the built-in keys are gone')
})
