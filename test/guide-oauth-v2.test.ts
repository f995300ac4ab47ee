/**
 * The v2 revision of Whop's OAuth guide with plain HTTP: the whop.com/oauth page, the code
 * exchanged at /api/v2/oauth/token, then the user, info and company reads.
 * @see docs/whop-reference.md §2.3, §2.4, §2.5 v2 [D V2J]
 */
import t from 'tap'
import { startMock } from './helpers/start-mock.js'
import { bearer, call } from './helpers/http.js'
import { acme, confidentialApp, jane, sam } from './helpers/fixtures.js'
import { legacyCode, legacyTokenBody } from './helpers/legacy.js'

t.test('the v2 guide: authorize, exchange at /api/v2/oauth/token, read user, info and company', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const code = await legacyCode(mock.url)
  const exchanged = await call('POST', `${mock.url}/api/v2/oauth/token`, { json: legacyTokenBody(code) })
  t.equal(exchanged.status, 200)
  const auth = bearer(exchanged.body.access_token)
  for (const prefix of ['/api/v2', '/v2']) {
    const user = await call('GET', `${mock.url}${prefix}/oauth/user`, { headers: auth })
    t.same(
      user.body,
      {
        id: jane.id,
        name: jane.name,
        username: jane.username,
        email: jane.email,
        profile_pic_url: jane.profile_pic_url,
        authorized_user: { role: 'admin', permission_level: '1', company: acme.id },
      },
      `${prefix}/oauth/user: jane is an admin of the app's company`,
    )
    const company = await call('GET', `${mock.url}${prefix}/oauth/company`, { headers: auth })
    t.same(company.body, { id: acme.id, title: acme.title, route: 'acme-chat-co' }, 'the company selling the software: the app owner')
    const info = await call('GET', `${mock.url}${prefix}/oauth/info`, { headers: auth })
    t.same(info.body, { user: user.body, company: company.body, experiences: [] })
  }
  t.equal(confidentialApp.company_id, acme.id)
})

t.test('a member who is not an admin has no authorized_user; a bad token is the v2 401', async (t) => {
  const mock = await startMock(t, { autoApprove: true })
  const code = await legacyCode(mock.url, { loginHint: sam.username })
  const token = (await call('POST', `${mock.url}/api/v2/oauth/token`, { json: legacyTokenBody(code) })).body.access_token
  const user = await call('GET', `${mock.url}/api/v2/oauth/user`, { headers: bearer(token) })
  t.match(user.body, { id: sam.id })
  t.notOk('authorized_user' in user.body)
  const bad = await call('GET', `${mock.url}/api/v2/oauth/user`, { headers: bearer('nope') })
  t.same({ status: bad.status, body: bad.body }, { status: 401, body: { error: { code: 401, message: 'Unauthorized' } } })
})
