/** The in-memory stores of a mock started without Redis, for tests that look at their bounds. */
import type { MockContext } from '../../src/context.js'
import { FaultTable } from '../../src/state/faults.js'
import { Journal } from '../../src/state/journal.js'

export function memoryJournal(context: MockContext): Journal {
  if (!(context.journal instanceof Journal)) throw new Error('this mock keeps its journal in Redis, not in memory')
  return context.journal
}

export function memoryFaults(context: MockContext): FaultTable {
  if (!(context.faults instanceof FaultTable)) throw new Error('this mock keeps its faults in Redis, not in memory')
  return context.faults
}
