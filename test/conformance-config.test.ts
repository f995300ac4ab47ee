/**
 * The conformance configuration: the published JSON Schema, the defaults it resolves to, and
 * errors that name the field to fix.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { checkConfigShape, ConfigError, configSchemaPath, loadConfig, resolveConfig } from '../src/conformance/config.js'
import { createAjv } from '../src/spec/ajv.js'
import { sampleAppDir, sampleConfigFile } from './helpers/conformance.js'

const route = { path: '/api/chat/token', userId: 'user_lgLKOmxgJTeKd', companyId: 'biz_u8jzPde0IgxLd6' }
const oauth = { startPath: '/login', callbackPath: '/cb', profilePath: '/me', flow: 'current-pkce', clientId: 'app_vUCsMehGAkWvj7' }

const problemOf = (config: unknown): string => {
  try {
    resolveConfig(checkConfigShape(config), '/')
  } catch (error) {
    if (error instanceof ConfigError) return error.message
    throw error
  }
  return 'accepted'
}

t.test('the published schema is a valid JSON Schema and the sample app config satisfies it', async (t) => {
  const schema = JSON.parse(readFileSync(configSchemaPath, 'utf8'))
  const validate = createAjv().compile(schema)
  t.ok(validate(JSON.parse(readFileSync(sampleConfigFile, 'utf8'))), JSON.stringify(validate.errors))
})

t.test('the sample app config resolves to app mode with the documented defaults', async (t) => {
  const config = loadConfig({ file: sampleConfigFile })
  t.match(config, {
    mode: 'app',
    app: {
      baseUrl: 'http://127.0.0.1:3100',
      start: 'node server.js',
      cwd: sampleAppDir.replace(/\/$/, ''),
      readyPath: '/',
      startTimeoutMs: 15_000,
    },
    mock: { url: null, port: 0, fixtures: null, apiKey: null },
    tokenRoute: { method: 'POST', path: '/api/chat/token', signIn: { headers: {}, cookies: { demo_user: 'sam' } }, tokenField: 'token' },
    oauth: {
      flow: 'current-pkce',
      clientId: 'app_vUCsMehGAkWvj7',
      startPath: '/auth/whop',
      callbackPath: '/auth/whop/callback',
      profilePath: '/me',
    },
  })
})

t.test('a config error names the field: required, unknown, wrong type, bad URL, bad enum, bad id prefix', async (t) => {
  const app = { baseUrl: 'http://127.0.0.1:3100' }
  t.equal(problemOf({ app, tokenRoute: { userId: route.userId, companyId: route.companyId } }), 'tokenRoute.path is required')
  t.equal(problemOf({ app, tokenRoute: route, extra: 1 }), 'extra is not a known field')
  t.equal(problemOf({ app, tokenRoute: { ...route, signIn: { header: {} } } }), 'tokenRoute.signIn.header is not a known field')
  t.equal(problemOf({ app: { baseUrl: 'localhost:3000' }, tokenRoute: route }), 'app.baseUrl must be an http(s) URL')
  t.equal(problemOf({ app: { ...app, startTimeoutMs: 'soon' }, tokenRoute: route }), 'app.startTimeoutMs must be integer')
  t.equal(problemOf({ app, tokenRoute: { ...route, method: 'DELETE' } }), 'tokenRoute.method must be one of GET, POST, PUT, PATCH')
  t.equal(problemOf({ app, tokenRoute: { ...route, userId: 'jane' } }), 'tokenRoute.userId must match ^user_')
  t.equal(
    problemOf({ app, tokenRoute: route, oauth: { ...oauth, flow: 'implicit' } }),
    'oauth.flow must be one of current-pkce, legacy-whop-api, legacy-v5',
  )
})

t.test('an oauth config error names the field: the profile route is required, ids keep their prefixes, paths start with /', async (t) => {
  const app = { baseUrl: 'http://127.0.0.1:3100' }
  const { profilePath: _, ...withoutProfile } = oauth
  t.equal(problemOf({ app, oauth: withoutProfile }), 'oauth.profilePath is required')
  t.equal(problemOf({ app, oauth: { ...oauth, clientId: 'acme-web' } }), 'oauth.clientId must match ^app_')
  t.equal(problemOf({ app, oauth: { ...oauth, userId: 'sam' } }), 'oauth.userId must match ^user_')
  t.equal(problemOf({ app, oauth: { ...oauth, callbackPath: 'auth/callback' } }), 'oauth.callbackPath must match ^/')
  t.equal(problemOf({ app, oauth: { ...oauth, scope: '' } }), 'oauth.scope must NOT have fewer than 1 characters')
  t.equal(problemOf({ app, oauth: { ...oauth, redirectUri: 'http://x/cb' } }), 'oauth.redirectUri is not a known field')
})

t.test("oauth resolves the app's redirect_uri from its base URL, and the user who signs in from the token route's caller", async (t) => {
  const withRoute = resolveConfig(
    checkConfigShape({ app: { baseUrl: 'http://127.0.0.1:3100/' }, tokenRoute: route, oauth: { ...oauth, scope: 'openid  profile' } }),
    '/',
  )
  t.match(withRoute, {
    mode: 'app',
    oauth: { redirectUri: 'http://127.0.0.1:3100/cb', userId: route.userId, scope: ['openid', 'profile'] },
  })
  const alone = resolveConfig(
    checkConfigShape({ app: { baseUrl: 'http://127.0.0.1:3100' }, oauth: { ...oauth, userId: 'user_J2isAjIhKtJ0R' } }),
    '/',
  )
  t.match(alone, { tokenRoute: null, oauth: { userId: 'user_J2isAjIhKtJ0R', scope: [] } })
  t.match(
    resolveConfig(checkConfigShape({ app: { baseUrl: 'http://127.0.0.1:3100' }, oauth }), '/'),
    { oauth: { userId: null } },
    "left for the runner: the fixtures' first user",
  )
})

t.test('a config must name the app and at least one part, and mock.url excludes the runner-started mock options', async (t) => {
  t.equal(problemOf({ tokenRoute: route }), 'app.baseUrl is required (or give server.url for server mode)')
  t.equal(
    problemOf({ app: { baseUrl: 'http://127.0.0.1:3100' } }),
    'tokenRoute or oauth is required: name at least one part your app integrates',
  )
  t.equal(
    problemOf({ app: { baseUrl: 'http://127.0.0.1:3100' }, tokenRoute: route, mock: { url: 'http://127.0.0.1:4010', port: 4011 } }),
    'mock.port applies only to a mock the runner starts; it cannot be used with mock.url',
  )
})

t.test('server.url selects server mode; credentials stay unset for the runner to default', async (t) => {
  const config = resolveConfig(checkConfigShape({ server: { url: 'http://127.0.0.1:4010/' } }), '/')
  t.same(config, {
    mode: 'server',
    server: { url: 'http://127.0.0.1:4010', apiKey: null, companyId: null, userId: null, ungrantedAction: 'company:balance:read' },
  })
})

t.test('relative paths resolve from the config file directory; without a start command the mock takes port 4010', async (t) => {
  const dir = t.testdir({
    'c.json': JSON.stringify({ app: { baseUrl: 'http://127.0.0.1:3100', cwd: 'app' }, mock: { fixtures: 'fx.json' }, tokenRoute: route }),
  })
  const config = loadConfig({ file: join(dir, 'c.json') })
  t.match(config, { app: { cwd: join(dir, 'app'), start: null }, mock: { fixtures: join(dir, 'fx.json'), port: 4010 } })
})

t.test('a config file that is missing or not JSON is an error naming --config', async (t) => {
  const dir = t.testdir({ 'bad.json': '{ nope' })
  t.throws(() => loadConfig({ file: join(dir, 'absent.json') }), { name: 'ConfigError', field: '--config', message: /cannot be read/ })
  t.throws(() => loadConfig({ file: join(dir, 'bad.json') }), { name: 'ConfigError', field: '--config', message: /is not valid JSON/ })
})

t.test('command-line fields overlay the file field by field', async (t) => {
  const config = loadConfig({
    file: sampleConfigFile,
    overrides: { app: { baseUrl: 'http://127.0.0.1:4999' }, tokenRoute: { signIn: { headers: { 'x-demo-user': 'sam' } } } },
  })
  t.match(config, {
    app: { baseUrl: 'http://127.0.0.1:4999', start: 'node server.js' },
    tokenRoute: { signIn: { headers: { 'x-demo-user': 'sam' }, cookies: { demo_user: 'sam' } } },
  })
})
