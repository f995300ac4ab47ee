/**
 * The test-control API under /_mock/: health, fixtures, reset, clock, journal and faults.
 * Not part of Whop; tests and the conformance suite drive the mock through it.
 */
import type { HandlerTable, MockContext } from '../context.js'
import { parameterInvalid } from '../errors.js'
import { packageVersion } from '../paths.js'
import type { FaultSpec } from '../state/faults.js'

function settingsView(context: MockContext) {
  return {
    auto_approve: context.settings.autoApprove,
    strict_scopes: context.settings.strictScopes,
    allow_openid_without_nonce: context.settings.allowOpenidWithoutNonce,
  }
}

export function controlHandlers(context: MockContext): HandlerTable {
  const clockView = () => ({ now: context.clock.now().toISOString(), offset_seconds: context.clock.offsetSeconds })
  return {
    getHealth: () => ({ status: 'ok', version: packageVersion, issuer: context.issuer, base_url: context.publicUrl }),

    getFixtures: () => context.fixtures.data,

    resetMock: (_request, reply) => {
      context.reset()
      return reply.code(204).send()
    },

    getClock: clockView,

    setClock: (request) => {
      const body = request.body as { advance_seconds?: number; now?: string }
      const given = [body.advance_seconds, body.now].filter((v) => v !== undefined).length
      if (given !== 1) throw parameterInvalid(null, 'Send exactly one of advance_seconds or now.')
      if (body.now !== undefined) context.clock.set(new Date(body.now))
      else context.clock.advance(body.advance_seconds!)
      return clockView()
    },

    getJournal: (request) => {
      const query = request.query as { path?: string; method?: string; limit?: number }
      return {
        entries: context.journal.entries(query),
        capacity: context.journal.capacity,
        dropped: context.journal.dropped,
      }
    },

    clearJournal: (_request, reply) => {
      context.journal.clear()
      return reply.code(204).send()
    },

    listFaults: () => ({ faults: context.faults.list() }),

    addFault: (request, reply) => {
      const spec = request.body as FaultSpec
      if (spec.status === undefined && (spec.delay_ms ?? 0) === 0) {
        throw parameterInvalid('status', 'A fault needs a status, a delay_ms, or both.')
      }
      return reply.code(201).send(context.faults.add(spec))
    },

    getSettings: () => settingsView(context),

    updateSettings: (request) => {
      const body = request.body as { auto_approve?: boolean; strict_scopes?: boolean; allow_openid_without_nonce?: boolean }
      if (body.auto_approve !== undefined) context.settings.autoApprove = body.auto_approve
      if (body.strict_scopes !== undefined) context.settings.strictScopes = body.strict_scopes
      if (body.allow_openid_without_nonce !== undefined) context.settings.allowOpenidWithoutNonce = body.allow_openid_without_nonce
      return settingsView(context)
    },

    clearFaults: (_request, reply) => {
      context.faults.clear()
      return reply.code(204).send()
    },
  }
}
