import t from 'tap'
import { permissionScopes, scopeDescription, SCOPE_DESCRIPTIONS, splitScope } from '../../src/oauth/scopes.js'
import { ScopeCatalog } from '../../src/oauth/scope-catalog.js'

const PROTOTYPE_KEYS = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']

t.test('a known scope has its description, and a name Object.prototype has is an unknown scope', async (t) => {
  t.equal(scopeDescription('chat:read'), SCOPE_DESCRIPTIONS['chat:read'])
  for (const name of PROTOTYPE_KEYS) t.equal(scopeDescription(name), undefined, name)
  t.same(new ScopeCatalog().judge(['openid', ...PROTOTYPE_KEYS, 'read_user'], false), { invalid: PROTOTYPE_KEYS, undescribed: [] })
  t.ok(scopeDescription('read_user'), 'the legacy read_user scope is known')
})

t.test('a scope string splits on any whitespace, and identity scopes are not permissions', async (t) => {
  t.same(splitScope('  openid\tprofile \n chat:read '), ['openid', 'profile', 'chat:read'])
  t.same(splitScope(undefined), [])
  t.same(permissionScopes(['openid', 'profile', 'email', 'chat:read']), ['chat:read'])
})

t.test('a scope named like an Object.prototype member is no permission', async (t) => {
  t.same(permissionScopes([...PROTOTYPE_KEYS, 'chat:read']), ['chat:read'])
})

t.test('an unknown well-formed scope is granted as undescribed, or invalid when strict; a malformed one is always invalid', async (t) => {
  const catalog = new ScopeCatalog([{ name: 'custom:thing:read', description: 'See custom things' }])
  const scopes = ['openid', 'member:email:read', 'stats:read', 'widget:frob', 'custom:thing:read', 'Bad:Scope', 'a:b:c:d']
  t.same(catalog.judge(scopes, false), { invalid: ['Bad:Scope', 'a:b:c:d'], undescribed: ['widget:frob'] })
  t.same(catalog.judge(scopes, true), { invalid: ['widget:frob', 'Bad:Scope', 'a:b:c:d'], undescribed: [] })
  t.equal(catalog.describe('custom:thing:read'), 'See custom things', 'a fixture scope carries its description')
  t.same(permissionScopes(['openid', 'widget:frob', 'read_user', 'biz_u8jzPde0IgxLd6']), ['widget:frob'])
})
