/** Records as Redis hands them back: JSON text, with Lua's habit of writing an empty list as `{}` undone. */

/** A JSON record read from Redis. The scripts and stores write every record, so its shape is theirs. */
export function parseRecord<T>(value: unknown): T {
  if (typeof value !== 'string') throw new TypeError(`expected a JSON record from Redis, got ${typeof value}`)
  return JSON.parse(value) as T
}

/** A list field, which Lua writes as `{}` when empty. */
export function asList<T>(value: readonly T[] | Record<string, never>): T[] {
  return Array.isArray(value) ? [...value] : []
}
