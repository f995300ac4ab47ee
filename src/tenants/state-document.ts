/**
 * The state document (spec/state.schema.json): a tenant's world, grants, refresh tokens,
 * sessions, clock offset and settings as plain JSON, for GET/PUT /_mock/state and --state-file.
 * The schema is the one check of a document; the fixtures inside get the fixture file's check.
 */
import { readFileSync } from 'node:fs'
import type { MockContext } from '../context.js'
import { stateSchemaPath } from '../paths.js'
import { realTimeMs } from '../state/clock.js'
import { createAjv, type ValidateFunction } from '../spec/ajv.js'
import { FixtureError } from '../errors/startup.js'
import { checkWorld, type WorldData } from '../state/fixtures.js'
import type { Tenant, WhopAuthMockState } from '../generated/state.js'
import { exportFileContents, importFileContents } from '../state/file-contents.js'
import { shareImportedWorld, sharedContents } from '../shared-world.js'

export const STATE_FORMAT = 'whop-auth-mock-state'
/** The version this mock writes and reads; any other is refused. */
export const STATE_VERSION = 1

/** A tenant's state as the schema has it, with its world typed as the fixture schema's. */
export type TenantState = Omit<Tenant, 'fixtures'> & { fixtures: WorldData }

export type StateDocument = Omit<WhopAuthMockState, 'tenants'> & { tenants: TenantState[] }

import { StateError } from '../errors/startup.js'

export { StateError }

let validateDocument: ValidateFunction<StateDocument> | undefined

/** Check a parsed document against the published schema and its fixtures against theirs. */
export function checkStateDocument(value: unknown, source: string): StateDocument {
  const version = typeof value === 'object' && value !== null && 'version' in value ? value.version : undefined
  if (version !== undefined && version !== STATE_VERSION)
    throw new StateError(`${source} has state version ${JSON.stringify(version)}; this mock reads version ${STATE_VERSION} only`)
  validateDocument ??= createAjv().compile<StateDocument>(JSON.parse(readFileSync(stateSchemaPath, 'utf8')))
  if (!validateDocument(value)) {
    const [first] = validateDocument.errors ?? []
    throw new StateError(`${source} is not a state document: ${first?.instancePath || '(root)'} ${first?.message ?? 'is invalid'}`)
  }
  for (const [index, tenant] of value.tenants.entries()) {
    try {
      checkWorld(tenant.fixtures, `${source}: tenants[${index}].fixtures`)
    } catch (error) {
      if (error instanceof FixtureError) throw new StateError(error.message)
      throw error
    }
  }
  return value
}

export async function exportTenant(context: MockContext): Promise<TenantState> {
  const [grants, sessions] = await Promise.all([context.grants.snapshot(), context.signIn.sessions()])
  return {
    name: context.tenantName,
    fixtures: structuredClone(context.fixtures.data),
    clock_offset_ms: context.clock.offsetMs,
    settings: {
      auto_approve: context.settings.autoApprove,
      strict_scopes: context.settings.strictScopes,
      allow_openid_without_nonce: context.settings.allowOpenidWithoutNonce,
      revoke_grant_on_refresh_reuse: context.settings.revokeGrantOnRefreshReuse,
    },
    codes: grants.codes,
    grants: grants.grants,
    refresh_tokens: grants.refreshTokens,
    sessions,
    file_contents:
      context.world === null ? exportFileContents(context.fixtures.data) : await sharedContents(context.world, context.fixtures.data),
  }
}

/** Replace a tenant's state with an imported one; its journal and faults are emptied. */
export async function importTenant(context: MockContext, state: TenantState): Promise<void> {
  requireRoom(context, state)
  context.replaceWorld(structuredClone(state.fixtures))
  importFileContents(context.fixtures.data, state.file_contents ?? [])
  context.clock.offsetMs = state.clock_offset_ms
  const { settings } = context
  settings.autoApprove = state.settings.auto_approve
  settings.strictScopes = state.settings.strict_scopes ?? settings.strictScopes
  settings.allowOpenidWithoutNonce = state.settings.allow_openid_without_nonce ?? settings.allowOpenidWithoutNonce
  settings.revokeGrantOnRefreshReuse = state.settings.revoke_grant_on_refresh_reuse ?? settings.revokeGrantOnRefreshReuse
  context.verifiedTokens.clear()
  await Promise.all([
    context.grants.restore({ codes: state.codes, grants: state.grants, refreshTokens: state.refresh_tokens }),
    context.signIn.restoreSessions(state.sessions),
    context.journal.clear(),
    context.faults.clear(),
    context.shareClock(),
    context.shareSettings(),
    context.world === null ? undefined : shareImportedWorld(context, context.world, state),
  ])
}

/** A document holding more records than this mock keeps is refused whole, never cut. */
function requireRoom(context: MockContext, state: TenantState): void {
  const capacity = context.grants.capacity
  for (const [kind, records] of [
    ['codes', state.codes],
    ['grants', state.grants],
    ['refresh tokens', state.refresh_tokens],
  ] as const)
    if (records.length > capacity)
      throw new StateError(`the state holds ${records.length} ${kind}; this mock keeps at most ${capacity} per tenant (--max-grants)`)
}

export function stateDocument(tenants: TenantState[]): StateDocument {
  return { format: STATE_FORMAT, version: STATE_VERSION, exported_at: new Date(realTimeMs()).toISOString(), tenants }
}
