/**
 * Everything created at run time is bounded: past the limit a create is refused with a 400
 * naming the limit, and nothing created before it is lost. POST /_mock/reset empties the world.
 */
import { parameterInvalid } from '../../errors.js'
import type { FixtureSet } from '../../state/fixtures.js'
import { MAX_CREATED } from '../../state/world-objects.js'

export { MAX_CREATED }

export function requireRoom(count: number, kind: string): void {
  if (count >= MAX_CREATED)
    throw parameterInvalid(null, `The mock keeps at most ${MAX_CREATED} ${kind} beyond its fixtures; POST /_mock/reset to start again.`)
}

export function createdCount(fixtures: FixtureSet, initial: number, kind: 'users' | 'companies' | 'apps'): number {
  return fixtures.data[kind].length - initial
}
