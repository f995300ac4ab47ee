/**
 * The test-control API under /_mock/: health, fixtures, reset, clock, journal and faults.
 * Not part of Whop; tests and the conformance suite drive the mock through it.
 */
import type { HandlerTable, MockContext } from '../context.js'
import { parameterInvalid } from '../errors.js'
import { packageVersion } from '../paths.js'
import { CLOCK_RANGE, withinClockRange } from '../state/clock.js'
import type { FaultSpec } from '../state/faults.js'

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
      const param = body.now !== undefined ? 'now' : 'advance_seconds'
      const target = body.now !== undefined ? Date.parse(body.now) : context.clock.nowMs() + Math.round((body.advance_seconds ?? 0) * 1000)
      if (!withinClockRange(target)) {
        const { earliest, latest } = CLOCK_RANGE
        throw parameterInvalid(
          param,
          `The clock can move only to times from ${earliest.toISOString()} to ${latest.toISOString()}; this move leaves that range.`,
        )
      }
      if (body.advance_seconds !== undefined) context.clock.advance(body.advance_seconds)
      else context.clock.set(new Date(target))
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
      return reply.code(201).send(context.faults.add(request.body as FaultSpec))
    },

    getSettings: () => ({ auto_approve: context.settings.autoApprove }),

    updateSettings: (request) => {
      const body = request.body as { auto_approve?: boolean }
      if (body.auto_approve !== undefined) context.settings.autoApprove = body.auto_approve
      return { auto_approve: context.settings.autoApprove }
    },

    clearFaults: (_request, reply) => {
      context.faults.clear()
      return reply.code(204).send()
    },
  }
}
