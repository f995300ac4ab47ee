/**
 * A world as objects (users, companies, apps, API keys, files), each named by its kind and id:
 * what replicas sharing state exchange when the provisioning API creates or changes one. A
 * world is rebuilt from its start (or imported) data plus the objects written since, in the
 * order they were first written; an object already there is replaced where it stands.
 */
import type { WorldData } from '../world.js'

/** Objects of each kind a server keeps beyond its fixtures (the provisioning API refuses more). */
export const MAX_CREATED = 500

/** The world's lists of objects, and the field that names each object of a list. */
const KINDS = { users: 'id', companies: 'id', apps: 'id', api_keys: 'key', files: 'id' } as const
export type WorldKind = keyof typeof KINDS
const KIND_NAMES = Object.keys(KINDS).filter((k): k is WorldKind => k in KINDS)

/** One object as shared: `name` is `<kind>/<id>`, `json` the object. */
export interface WorldObject {
  name: string
  json: string
}

type Item = Record<string, unknown>

function listOf(data: WorldData, kind: WorldKind): Item[] {
  const list: readonly object[] = data[kind] ?? []
  return list.map((item) => ({ ...item }))
}

function nameOf(kind: WorldKind, item: Item): string {
  return `${kind}/${String(item[KINDS[kind]])}`
}

/** Every object of a world as JSON, by name. */
export function worldObjects(data: WorldData): Map<string, string> {
  const out = new Map<string, string>()
  for (const kind of KIND_NAMES) for (const item of listOf(data, kind)) out.set(nameOf(kind, item), JSON.stringify(item))
  return out
}

/** The most objects a world started from `start` can hold: its own, and MAX_CREATED more of each kind. */
export function objectCapacity(start: WorldData): number {
  return KIND_NAMES.reduce((sum, kind) => sum + (start[kind]?.length ?? 0) + MAX_CREATED, 0)
}

/** The objects that are new or differ in `after`, in its order. */
export function changedObjects(before: ReadonlyMap<string, string>, after: WorldData): WorldObject[] {
  const changed: WorldObject[] = []
  for (const [name, json] of worldObjects(after)) if (before.get(name) !== json) changed.push({ name, json })
  return changed
}

/**
 * `base` with `objects` (in the order they were first written) put in: replaced where they
 * stand, else appended. The result is unchecked: the caller checks it as a world (checkWorld).
 */
export function withObjects(base: WorldData, objects: readonly WorldObject[]): Record<string, unknown> {
  const lists = new Map<WorldKind, Item[]>(KIND_NAMES.map((kind) => [kind, listOf(base, kind)]))
  for (const { name, json } of objects) {
    const kind = KIND_NAMES.find((k) => name.startsWith(`${k}/`))
    const list = kind === undefined ? undefined : lists.get(kind)
    if (kind === undefined || list === undefined) continue
    const item: unknown = JSON.parse(json)
    if (typeof item !== 'object' || item === null) continue
    const at = list.findIndex((existing) => nameOf(kind, existing) === name)
    if (at >= 0) list[at] = { ...item }
    else list.push({ ...item })
  }
  const rebuilt: Record<string, unknown> = { ...structuredClone(base) }
  for (const [kind, list] of lists) if (kind !== 'files' || list.length > 0 || base.files !== undefined) rebuilt[kind] = list
  return rebuilt
}
