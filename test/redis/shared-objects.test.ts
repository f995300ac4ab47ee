/**
 * What callers create at run time is one across replicas: a tampering armed at one replica
 * spoils one answer at any of them, once.
 * Needs `npm run build` and Debian's redis-server.
 */
import t from 'tap'
import { decodeJwt } from 'jose'
import { jane, publicApp } from '../helpers/fixtures.js'
import { pkce } from '../helpers/oauth.js'
import { checkedCall } from './helpers/replicas.js'
import { codeAt, exchange, setUp, userinfo } from './helpers/flows.js'

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
