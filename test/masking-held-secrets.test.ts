/**
 * Masking by value reaches every secret the mock holds, not only the ones it issued itself: a
 * fixture client secret made of characters other than a token's, the control token, and the
 * codes, refresh tokens, sign-in sessions and client secrets a state document brought in.
 */
import t, { type Test } from 'tap'
import type { WorldData } from '../src/index.js'
import { call } from './helpers/http.js'
import { confidentialApp, defaults, jane } from './helpers/fixtures.js'
import { codeFor, currentAuthorizeQuery, pkce } from './helpers/oauth.js'
import { refreshTokenAt } from './helpers/state.js'
import { startMock, type TestMock } from './helpers/start-mock.js'

const PREFIX = 8
/** A client secret a scan for runs of token characters would cut into pieces. */
const oddSecret = 'Odd.Secret~with!chars+0123456789'
const oddWorld: WorldData = {
  ...structuredClone(defaults),
  apps: defaults.apps.map((app) => (app.id === confidentialApp.id ? { ...app, client_secret: oddSecret } : app)),
}

/** Send `secrets` where masking by name cannot see them: a text/plain body under made-up names, and a custom header. */
async function sendAround(mock: TestMock, secrets: Record<string, string>, headers: Record<string, string> = {}): Promise<void> {
  const body = Object.entries(secrets)
    .map(([name, value]) => `${name}Xyz=${value}`)
    .join('&')
  const res = await call('POST', `${mock.url}/oauth/token`, {
    headers: { 'content-type': 'text/plain', 'x-probe': Object.values(secrets).join(' '), ...headers },
    body,
  })
  if (res.status >= 500) throw new Error(`the token endpoint answered ${res.status}`)
}

function checkMasked(t: Test, journalText: string, secrets: Record<string, string>): void {
  for (const [name, value] of Object.entries(secrets)) {
    t.notOk(journalText.includes(value), `${name} is not whole in the journal`)
    t.ok(journalText.includes(`${value.slice(0, PREFIX)}…`), `${name} shows its prefix`)
  }
}

t.test('a fixture client secret of any characters is masked by value', async (t) => {
  const mock = await startMock(t, { fixtures: oddWorld })
  await sendAround(mock, { secret: oddSecret })
  checkMasked(t, (await call('GET', `${mock.url}/_mock/journal`)).text, { oddSecret })
})

t.test('the control token is masked by value wherever it is sent', async (t) => {
  const controlToken = 'ctl.Token~1234!xyz'
  const mock = await startMock(t, { controlToken })
  await sendAround(mock, { control: controlToken }, { 'x-mock-control-token': controlToken })
  const journal = await call('GET', `${mock.url}/_mock/journal`, { headers: { authorization: `Bearer ${controlToken}` } })
  t.equal(journal.status, 200)
  checkMasked(t, journal.text, { controlToken })
})

t.test('codes, refresh tokens, sessions and client secrets a state document brings in are masked by value', async (t) => {
  const from = await startMock(t, { fixtures: oddWorld })
  const refreshToken = await refreshTokenAt(from.url)
  const code = await codeFor(from.url, { pkce: pkce() })
  // A sign-in on the page leaves a session (its id is the cookie's value).
  await call('POST', `${from.url}/_mock/settings`, { json: { auto_approve: false } })
  const page = await call('GET', `${from.url}/oauth/authorize?${currentAuthorizeQuery({ loginHint: null })}`)
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page.text)?.[1] ?? ''
  const approved = await call('POST', `${from.url}/oauth/authorize`, {
    form: { transaction: field('transaction'), csrf: field('csrf'), decision: 'approve', user_id: jane.id },
    headers: { cookie: String(page.headers['set-cookie']).split(';')[0] ?? '' },
  })
  t.equal(approved.status, 302)
  const session = /whop_mock_session=([^;]+)/.exec(String(approved.headers['set-cookie']))?.[1] ?? ''
  t.ok(session.length > PREFIX, 'the sign-in left a session')

  const document = await call('GET', `${from.url}/_mock/state`)
  t.equal(document.status, 200)
  const into = await startMock(t)
  const imported = await call('PUT', `${into.url}/_mock/state`, { json: document.body })
  t.equal(imported.status, 204, `imported ${imported.text.slice(0, 300)}`)
  const held = { refreshToken, code, session, oddSecret }
  await sendAround(into, held)
  checkMasked(t, (await call('GET', `${into.url}/_mock/journal`)).text, held)
})

t.test('a secret glued between other token characters is masked where it stands', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const refreshToken = await refreshTokenAt(mock.url)
  const code = await codeFor(mock.url, { pkce: pkce() })
  await sendAround(mock, { glued: `abc${refreshToken}xyz-${code}_tail` })
  const journal = (await call('GET', `${mock.url}/_mock/journal`)).text
  t.notOk(journal.includes(refreshToken), 'the refresh token is not whole in the journal')
  t.notOk(journal.includes(code), 'the code is not whole in the journal')
  t.ok(journal.includes(`abc${refreshToken.slice(0, PREFIX)}…`), 'the refresh token shows its prefix where it stood')
})
