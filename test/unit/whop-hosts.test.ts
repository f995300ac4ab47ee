/**
 * The list of Whop's hosts: every host of the reference's route map is rerouted, whole for API
 * hosts and only the authorize page on whop.com; other hosts, look-alikes and other schemes are not.
 */
import t from 'tap'
import { WHOP_HOSTS, isWhopHost, reroutes, reroutesPath } from '../../src/intercept/whop-hosts.js'

t.test('the list names every host of the reference route map', async (t) => {
  t.same([...WHOP_HOSTS].sort(), ['api.whop.com', 'data.whop.com', 'sandbox-api.whop.com', 'whop.com'])
})

t.test('a Whop host is recognised whatever its case, port or trailing dot', async (t) => {
  for (const host of ['api.whop.com', 'API.Whop.com', 'api.whop.com:443', 'api.whop.com.', 'whop.com:80']) t.ok(isWhopHost(host), host)
  for (const host of ['evilwhop.com', 'api.whop.com.evil.test', 'docs.whop.com', 'example.com', '[::1]:443', ''])
    t.notOk(isWhopHost(host), host)
})

t.test('every path on an API host is rerouted', async (t) => {
  for (const url of [
    'https://api.whop.com/api/v1/access_tokens',
    'https://api.whop.com/oauth/token',
    'https://api.whop.com/v5/me',
    'https://sandbox-api.whop.com/api/v1/users/me',
    'https://data.whop.com/api/v3/oauth/token',
    'http://api.whop.com/anything/else?x=1',
  ])
    t.ok(reroutes(new URL(url)), url)
})

t.test('on whop.com only the legacy authorize page is rerouted', async (t) => {
  t.ok(reroutes(new URL('https://whop.com/oauth')))
  t.ok(reroutes(new URL('https://whop.com/oauth/?client_id=app_x&response_type=code')))
  t.ok(reroutesPath('whop.com', '/oauth/?state=1'))
  t.notOk(reroutes(new URL('https://whop.com/')))
  t.notOk(reroutes(new URL('https://whop.com/oauthx')))
  t.notOk(reroutes(new URL('https://whop.com/discover/oauth')))
  t.notOk(reroutesPath('whop.com', '/hub?next=/oauth'))
})

t.test('other hosts and other schemes are not rerouted', async (t) => {
  t.notOk(reroutes(new URL('https://example.com/api/v1/access_tokens')))
  t.notOk(reroutes(new URL('wss://api.whop.com/socket')))
  t.notOk(reroutesPath('localhost:3000', '/oauth'))
})
