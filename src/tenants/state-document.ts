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
import type { GrantSnapshot } from '../state/grants.js'
import type { SessionRecord } from '../state/sign-in.js'

export const STATE_FORMAT = 'whop-auth-mock-state'
/** The version this mock writes and reads; any other is refused. */
export const STATE_VERSION = 1

export interface TenantState {
  name: string | null
  fixtures: WorldData
  clock_offset_ms: number
  settings: { auto_approve: boolean }
  codes: GrantSnapshot['codes']
  grants: GrantSnapshot['grants']
  refresh_tokens: GrantSnapshot['refreshTokens']
  sessions: SessionRecord[]
}

export interface StateDocument {
  format: typeof STATE_FORMAT
  version: typeof STATE_VERSION
  exported_at?: string
  tenants: TenantState[]
}

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
    settings: { auto_approve: context.settings.autoApprove },
    codes: grants.codes,
    grants: grants.grants,
    refresh_tokens: grants.refreshTokens,
    sessions,
  }
}

/** Replace a tenant's state with an imported one; its journal and faults are emptied. */
export async function importTenant(context: MockContext, state: TenantState): Promise<void> {
  context.replaceWorld(structuredClone(state.fixtures))
  context.clock.offsetMs = state.clock_offset_ms
  context.settings.autoApprove = state.settings.auto_approve
  context.verifiedTokens.clear()
  await Promise.all([
    context.grants.restore({ codes: state.codes, grants: state.grants, refreshTokens: state.refresh_tokens }),
    context.signIn.restoreSessions(state.sessions),
    context.journal.clear(),
    context.faults.clear(),
    context.shareClock(),
    context.shareSettings(),
  ])
}

export function stateDocument(tenants: TenantState[]): StateDocument {
  return { format: STATE_FORMAT, version: STATE_VERSION, exported_at: new Date(realTimeMs()).toISOString(), tenants }
}
