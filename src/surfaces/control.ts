/**
 * The test-control API under /_mock/: health, fixtures, reset, clock, journal, faults, tamperings
 * and settings.
 * Not part of Whop; tests and the conformance suite drive the mock through it.
 */
import type { MockContext } from '../context.js'
import type { Handlers } from '../handlers.js'
import { parameterInvalid } from '../errors.js'
import { packageVersion } from '../paths.js'
import { CLOCK_RANGE, withinClockRange } from '../state/clock.js'

function settingsView(context: MockContext) {
  return {
    auto_approve: context.settings.autoApprove,
    strict_scopes: context.settings.strictScopes,
    allow_openid_without_nonce: context.settings.allowOpenidWithoutNonce,
    revoke_grant_on_refresh_reuse: context.settings.revokeGrantOnRefreshReuse,
  }
}

type ControlOperation =
  | 'getHealth'
  | 'getFixtures'
  | 'resetMock'
  | 'getClock'
  | 'setClock'
  | 'getJournal'
  | 'clearJournal'
  | 'listFaults'
  | 'addFault'
  | 'clearFaults'
  | 'getSettings'
  | 'updateSettings'
  | 'listTamperings'
  | 'addTampering'
  | 'clearTamperings'

export function controlHandlers(context: MockContext): Handlers<ControlOperation> {
  const clockView = () => ({ now: context.clock.now().toISOString(), offset_seconds: context.clock.offsetSeconds })
  return {
    getHealth: () => ({
      status: context.backend?.healthy === false ? 'degraded' : 'ok',
      version: packageVersion,
      issuer: context.issuer,
      base_url: context.publicUrl,
    }),

    getFixtures: () => context.fixtures.data,

    resetMock: async (_request, reply) => {
      await context.reset()
      return reply.code(204).send()
    },

    getClock: clockView,

    setClock: async (request) => {
      const { advance_seconds: advance, now } = request.body
      if ((advance === undefined) === (now === undefined)) throw parameterInvalid(null, 'Send exactly one of advance_seconds or now.')
      const param = now !== undefined ? 'now' : 'advance_seconds'
      const target = now !== undefined ? Date.parse(now) : context.clock.nowMs() + Math.round((advance ?? 0) * 1000)
      if (!withinClockRange(target)) {
        const { earliest, latest } = CLOCK_RANGE
        throw parameterInvalid(
          param,
          `The clock can move only to times from ${earliest.toISOString()} to ${latest.toISOString()}; this move leaves that range.`,
        )
      }
      if (advance !== undefined) await context.advanceClock(advance)
      else {
        context.clock.set(new Date(target))
        await context.shareClock()
      }
      return clockView()
    },

    getJournal: async (request) => {
      return {
        entries: await context.journal.entries(request.query),
        capacity: context.journal.capacity,
        dropped: await context.journal.droppedCount(),
      }
    },

    clearJournal: async (_request, reply) => {
      await context.journal.clear()
      return reply.code(204).send()
    },

    listFaults: async () => ({ faults: await context.faults.list() }),

    addFault: async (request, reply) => {
      return reply.code(201).send(await context.faults.add(request.body))
    },

    getSettings: () => settingsView(context),

    updateSettings: async (request) => {
      const { auto_approve, strict_scopes, allow_openid_without_nonce, revoke_grant_on_refresh_reuse } = request.body
      if (auto_approve !== undefined) context.settings.autoApprove = auto_approve
      if (strict_scopes !== undefined) context.settings.strictScopes = strict_scopes
      if (allow_openid_without_nonce !== undefined) context.settings.allowOpenidWithoutNonce = allow_openid_without_nonce
      if (revoke_grant_on_refresh_reuse !== undefined) context.settings.revokeGrantOnRefreshReuse = revoke_grant_on_refresh_reuse
      await context.shareSettings()
      return settingsView(context)
    },

    clearFaults: async (_request, reply) => {
      await context.faults.clear()
      return reply.code(204).send()
    },

    listTamperings: async () => ({ tamperings: await context.tampering.list() }),

    addTampering: async (request, reply) => reply.code(201).send(await context.tampering.add(request.body)),

    clearTamperings: async (_request, reply) => {
      await context.tampering.clear()
      return reply.code(204).send()
    },
  }
}
