/**
 * The test-control API under /_mock/: health, fixtures, reset, clock, journal and faults.
 * Not part of Whop; tests and the conformance suite drive the mock through it.
 */
import type { MockContext } from '../context.js'
import type { Handlers } from '../handlers.js'
import { parameterInvalid } from '../errors.js'
import { packageVersion } from '../paths.js'

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

export function controlHandlers(context: MockContext): Handlers<ControlOperation> {
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
      const { advance_seconds: advance, now } = request.body
      if (now !== undefined && advance === undefined) context.clock.set(new Date(now))
      else if (advance !== undefined && now === undefined) context.clock.advance(advance)
      else throw parameterInvalid(null, 'Send exactly one of advance_seconds or now.')
      return clockView()
    },

    getJournal: (request) => {
      return {
        entries: context.journal.entries(request.query),
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
      const spec = request.body
      if (spec.status === undefined && (spec.delay_ms ?? 0) === 0) {
        throw parameterInvalid('status', 'A fault needs a status, a delay_ms, or both.')
      }
      return reply.code(201).send(context.faults.add(spec))
    },

    getSettings: () => ({ auto_approve: context.settings.autoApprove }),

    updateSettings: (request) => {
      const wanted = request.body.auto_approve
      if (wanted !== undefined) context.settings.autoApprove = wanted
      return { auto_approve: context.settings.autoApprove }
    },

    clearFaults: (_request, reply) => {
      context.faults.clear()
      return reply.code(204).send()
    },
  }
}
