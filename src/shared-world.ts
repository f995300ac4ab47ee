/**
 * The world of a tenant whose state is in Redis, kept the same at every replica: a request that
 * finds the shared revision moved reloads it before it runs, and a provisioning call that
 * creates or changes objects writes them before it answers. With the in-memory store none of
 * this runs: the world is the process's own.
 */
import { STALE_WORLD, type MockContext } from './context.js'
import { parameterInvalid } from './errors.js'
import type { Content, ExportedContent } from './state/file-contents.js'
import { checkWorld } from './state/fixtures.js'
import type { OperationHandler, OperationId } from './handlers.js'
import type { SharedWorld } from './state/store.js'
import { changedObjects, objectCapacity, withObjects, worldObjects } from './state/world-objects.js'
import type { WorldData } from './world.js'

/** Take the shared world when its revision is not the one this replica holds. */
export async function adoptWorld(context: MockContext, world: SharedWorld, rev: string): Promise<void> {
  if (rev === context.worldRev) return
  const loaded = await world.load()
  const start: WorldData =
    loaded.start === null ? context.initialFixtures : checkWorld(JSON.parse(loaded.start), 'the shared start fixtures')
  const base: WorldData = loaded.base === null ? start : checkWorld(JSON.parse(loaded.base), 'the shared imported world')
  const data = loaded.objects.length === 0 ? structuredClone(base) : checkWorld(withObjects(base, loaded.objects), 'the shared world')
  context.replaceWorld(data)
  context.worldRev = loaded.rev
}

/** Write what `changed` objects a handler made; its answer waits for it. */
async function publish(context: MockContext, world: SharedWorld, before: Map<string, string>): Promise<void> {
  const changed = changedObjects(before, context.fixtures.data)
  if (changed.length === 0) return
  const held = context.worldRev
  let written: { before: string; after: string } | null
  try {
    written = await world.put(changed, objectCapacity(context.initialFixtures))
  } catch (error) {
    context.worldRev = STALE_WORLD
    throw error
  }
  if (written === null) {
    context.worldRev = STALE_WORLD
    throw parameterInvalid(null, 'The shared world holds as many objects as the mock keeps; POST /_mock/reset to start again.')
  }
  // Written on top of the revision this replica held: its world is the shared one. Else another
  // replica wrote in between, and the next request reloads.
  context.worldRev = written.before === held ? written.after : STALE_WORLD
}

/** Make a change to the world that reaches every replica before the returned promise settles. */
export function changeWorld<T>(context: MockContext, world: SharedWorld, change: () => T): Promise<T> {
  const before = worldObjects(context.fixtures.data)
  let result: T
  try {
    result = change()
  } catch (error) {
    // A change that failed part-way may have changed the world: share that too.
    return publish(context, world, before).then(() => Promise.reject(error))
  }
  return publish(context, world, before).then(() => result)
}

/** A provisioning handler (one that changes the world at once, never later) whose changes reach every replica before it answers. */
export function sharingChanges<Id extends OperationId>(context: MockContext, handler: OperationHandler<Id>): OperationHandler<Id> {
  return (request, reply) => {
    const world = context.world
    return world === null ? handler(request, reply) : changeWorld(context, world, () => handler(request, reply))
  }
}

/** Store an upload's bytes where every replica reads them; past the limit, a 400 naming it. */
export async function shareContent(world: SharedWorld, id: string, content: Content, maxBytes: number): Promise<void> {
  const stored = await world.putContent(id, content, maxBytes)
  if (stored !== null)
    throw parameterInvalid(
      null,
      `The mock keeps at most ${maxBytes} bytes of uploaded files; ${stored} are stored. POST /_mock/reset to start again.`,
    )
}

/** The bytes of a shared world's uploaded files, as a state document holds them. */
export async function sharedContents(world: SharedWorld, data: WorldData): Promise<ExportedContent[]> {
  const ready = (data.files ?? []).filter((file) => file.upload_status === 'ready')
  const held = await Promise.all(ready.map(async (file) => ({ id: file.id, content: await world.content(file.id) })))
  return held.flatMap(({ id, content }) =>
    content === undefined ? [] : [{ id, content_type: content.type, base64: content.bytes.toString('base64') }],
  )
}

/** An imported world replaces the shared one; every replica reloads it, this one too. */
export async function shareImportedWorld(
  context: MockContext,
  world: SharedWorld,
  state: { fixtures: WorldData; file_contents?: ExportedContent[] },
): Promise<void> {
  context.worldRev = STALE_WORLD
  await world.replace(JSON.stringify(state.fixtures), state.file_contents ?? [])
}

/** A tenant made with its own fixtures at this replica starts with them at every replica. */
export async function shareStartFixtures(context: MockContext, world: SharedWorld, fixtures: WorldData): Promise<void> {
  context.worldRev = STALE_WORLD
  await world.setStart(JSON.stringify(fixtures))
}
