import t from 'tap'
import { permissionScopes, scopeDescription, SCOPE_DESCRIPTIONS, splitScope, unknownScopes } from '../../src/oauth/scopes.js'

const PROTOTYPE_KEYS = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']

t.test('a known scope has its description, and a name Object.prototype has is an unknown scope', async (t) => {
  t.equal(scopeDescription('chat:read'), SCOPE_DESCRIPTIONS['chat:read'])
  for (const name of PROTOTYPE_KEYS) t.equal(scopeDescription(name), undefined, name)
  t.same(unknownScopes(['openid', ...PROTOTYPE_KEYS, 'read_user']), [...PROTOTYPE_KEYS, 'read_user'])
})

t.test('a scope string splits on any whitespace, and identity scopes are not permissions', async (t) => {
  t.same(splitScope('  openid\tprofile \n chat:read '), ['openid', 'profile', 'chat:read'])
  t.same(splitScope(undefined), [])
  t.same(permissionScopes(['openid', 'profile', 'email', 'chat:read']), ['chat:read'])
})

t.test('a scope named like an Object.prototype member is no permission', async (t) => {
  t.same(permissionScopes([...PROTOTYPE_KEYS, 'chat:read']), ['chat:read'])
})
