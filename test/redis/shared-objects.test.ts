/**
 * What callers create at run time is one across replicas: apps, connected accounts (companies
 * and their users) and files made through the provisioning API at one replica are there at the
 * others, reset empties them everywhere, and a tampering armed at one replica spoils one answer
 * at any of them, once.
 * Needs `npm run build` and Debian's redis-server.
 */
import t from 'tap'
import { decodeJwt } from 'jose'
import { acme, companyKey, jane, publicApp } from '../helpers/fixtures.js'
import { bearer } from '../helpers/http.js'
import { pkce } from '../helpers/oauth.js'
import { checkedCall } from './helpers/replicas.js'
import { codeAt, exchange, setUp, userinfo } from './helpers/flows.js'

const CALLBACK = 'http://localhost:3000/cb'

t.test(
  'an app created at one replica runs the OAuth flow at the other; changed there, it changes everywhere; reset empties both',
  async (t) => {
    const [a, b] = await setUp(t)
    const created = await checkedCall(t, 'POST', `${a!.url}/api/v1/apps`, {
      headers: bearer(companyKey.key),
      json: { company_id: acme.id, name: 'Made at A', redirect_uris: [CALLBACK] },
    })
    t.equal(created.status, 200)
    const app = { id: String(created.body.id), redirectUri: CALLBACK, secret: String(created.body.client_secret) }
    const seen = await checkedCall(t, 'GET', `${b!.url}/api/v1/apps/${app.id}`, { headers: bearer(companyKey.key) })
    t.equal(seen.status, 200, 'retrieved at the other replica')
    t.equal(seen.body.name, 'Made at A')
    const verifier = pkce()
    const tokens = await exchange(t, b!, await codeAt(t, b!, verifier, app), verifier, app)
    t.equal(tokens.status, 200, 'its client signs in and exchanges a code at the other replica, with its secret')
    t.equal((await userinfo(t, a!, tokens.body.access_token)).status, 200)

    const moved = await checkedCall(t, 'PATCH', `${b!.url}/api/v1/apps/${app.id}`, {
      headers: bearer(companyKey.key),
      json: { redirect_uris: ['http://localhost:4000/cb'] },
    })
    t.equal(moved.status, 200)
    const old = await checkedCall(
      t,
      'GET',
      `${a!.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: app.id, redirect_uri: CALLBACK, scope: 'openid' })}`,
    )
    t.equal(old.status, 400, 'the first replica refuses the redirect URI removed at the other')

    t.equal((await checkedCall(t, 'POST', `${b!.url}/_mock/reset`)).status, 204)
    const gone = await checkedCall(t, 'GET', `${a!.url}/api/v1/apps/${app.id}`, { headers: bearer(companyKey.key) })
    t.equal(gone.status, 404, 'reset at one replica empties the world at the other')
  },
)

t.test('a connected account made at one replica mints tokens at the other; a file uploaded at one downloads at the other', async (t) => {
  const [a, b] = await setUp(t)
  const account = await checkedCall(t, 'POST', `${a!.url}/api/v1/companies`, {
    headers: bearer(companyKey.key),
    json: { title: 'Connected at A', parent_company_id: acme.id, email: 'new.owner@example.com' },
  })
  t.equal(account.status, 200)
  const owner = String(account.body.owner_user.id)
  const minted = await checkedCall(t, 'POST', `${b!.url}/api/v1/access_tokens`, {
    headers: bearer(companyKey.key),
    json: { company_id: acme.id, user_id: owner },
  })
  t.equal(minted.status, 200, "the other replica knows the new user and the platform's membership")

  const file = await checkedCall(t, 'POST', `${a!.url}/api/v1/files`, { headers: bearer(companyKey.key), json: { filename: 'note.txt' } })
  t.equal(file.status, 200)
  const path = new URL(String(file.body.upload_url)).pathname
  const put = await checkedCall(t, 'PUT', `${b!.url}${path}`, { headers: { 'content-type': 'text/plain' }, body: 'bytes uploaded at B' })
  t.equal(put.status, 200, 'uploaded at the other replica')
  const ready = await checkedCall(t, 'GET', `${a!.url}/api/v1/files/${file.body.id}`, { headers: bearer(companyKey.key) })
  t.equal(ready.body.upload_status, 'ready', 'ready at the first')
  const download = await checkedCall(t, 'GET', `${a!.url}${path}`)
  t.equal(download.text, 'bytes uploaded at B', 'and its bytes download there')
})

t.test('a tampering armed at one replica spoils one answer across both, once', async (t) => {
  const [a, b] = await setUp(t)
  const verifier = pkce()
  const issued = await exchange(t, a!, await codeAt(t, a!, verifier), verifier)
  t.equal(issued.status, 200)
  const armed = await checkedCall(t, 'POST', `${a!.url}/_mock/tamper`, {
    json: { target: 'userinfo', client_id: publicApp.id, kind: 'other_sub' },
  })
  t.equal(armed.status, 201)
  t.equal((await checkedCall(t, 'GET', `${b!.url}/_mock/tamper`)).body.tamperings.length, 1, 'listed at the other replica')
  const subs: string[] = []
  for (const replica of [b!, a!, b!]) subs.push((await userinfo(t, replica, issued.body.access_token)).body.sub)
  t.not(subs[0], jane.id, 'the other replica spoiled the next userinfo')
  t.same(subs.slice(1), [jane.id, jane.id], 'and it was used up everywhere')

  const idToken = await checkedCall(t, 'POST', `${b!.url}/_mock/tamper`, {
    json: { target: 'id_token', client_id: publicApp.id, kind: 'wrong_iss' },
  })
  t.equal(idToken.status, 201)
  const issuers: unknown[] = []
  for (const replica of [a!, b!]) {
    const v = pkce()
    const answer = await exchange(t, replica, await codeAt(t, replica, v), v)
    issuers.push(decodeJwt(answer.body.id_token).iss)
  }
  t.equal(issuers[0], 'https://issuer.invalid', 'armed at one replica, it spoiled the id_token of the other')
  t.not(issuers[1], 'https://issuer.invalid', 'once')
  t.same((await checkedCall(t, 'GET', `${a!.url}/_mock/tamper`)).body.tamperings, [])
})
