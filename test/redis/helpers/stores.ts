/**
 * The two stores of one tenant, built for the store tests: in memory, and in Redis (on a real
 * redis-server); each test body runs against both, and both must decide alike.
 */
import type { Test } from 'tap'
import { randomBytes } from 'node:crypto'
import { MockClock } from '../../../src/state/clock.js'
import { FaultTable } from '../../../src/state/faults.js'
import { GrantStore, type CodeBinding, type RedeemCodeRequest } from '../../../src/state/grants.js'
import { IssuedSecrets } from '../../../src/state/issued-secrets.js'
import { Journal } from '../../../src/state/journal.js'
import { SignInStore } from '../../../src/state/sign-in.js'
import { TamperTable } from '../../../src/state/tampering.js'
import { SecretMasker } from '../../../src/masking.js'
import { RedisBackend } from '../../../src/state/redis/backend.js'
import type { StoreParts, TenantStores } from '../../../src/state/store.js'
import { startRedis } from './redis-server.js'

export const JOURNAL_SIZE = 3
/** --max-grants for both stores: its smallest value, so the bound is reached quickly. */
export const MAX_GRANTS = 100

export interface Stores extends TenantStores {
  clock: MockClock
}

export const binding: CodeBinding = {
  flow: 'current',
  clientId: 'app_public',
  redirectUri: 'https://app.example/callback',
  userId: 'user_1',
  scope: 'openid profile',
  scopes: ['openid', 'profile'],
  companyId: null,
  codeChallenge: 'challenge-s256',
  nonce: 'n',
}

export function redeem(code: string, clock: MockClock, over: Partial<RedeemCodeRequest> = {}): RedeemCodeRequest {
  const nowMs = clock.nowMs()
  return {
    code,
    clientId: binding.clientId,
    flow: 'current',
    redirectUri: binding.redirectUri,
    pkce: { kind: 'hashed', s256: 'challenge-s256' },
    issueRefreshToken: true,
    nowMs,
    accessExpiresAtMs: nowMs + 3600_000,
    ...over,
  }
}

export function rotate(token: string, clock: MockClock) {
  const nowMs = clock.nowMs()
  return {
    token,
    clientId: binding.clientId,
    flow: 'current' as const,
    stickyCompanyId: null,
    requestedScopes: null,
    reuseRevokesGrant: true,
    nowMs,
    accessExpiresAtMs: nowMs + 3600_000,
  }
}

function parts(): StoreParts {
  const secrets = new IssuedSecrets()
  return {
    clock: new MockClock(),
    secrets,
    masker: new SecretMasker(secrets),
    journalSize: JOURNAL_SIZE,
    journalBytes: 1 << 20,
    maxGrants: MAX_GRANTS,
  }
}

/** Run `suite` against the in-memory store, then against the Redis store. */
export function bothStores(t: Test, suite: (t: Test, stores: Stores) => Promise<void>): void {
  t.test('the in-memory store', async (t) => {
    const p = parts()
    await suite(t, {
      clock: p.clock,
      grants: new GrantStore(p.clock, p.secrets, p.maxGrants),
      signIn: new SignInStore(p.clock, p.secrets),
      faults: new FaultTable(),
      tampering: new TamperTable(),
      journal: new Journal(p.journalSize, p.journalBytes, p.masker),
    })
  })

  t.test('the Redis store', async (t) => {
    const redis = await startRedis(t)
    const backend = await RedisBackend.open(redis.url)
    t.teardown(() => backend.close())
    const p = parts()
    const stores = backend.storesFor(`store-test-${randomBytes(4).toString('hex')}`, p)
    await suite(t, { clock: p.clock, ...stores })
  })
}
