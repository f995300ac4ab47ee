/** Helpers for the mock's bounded stores: Maps keep insertion order, so the first key is the oldest. */

/** Forget the oldest entry when the map holds `capacity` or more; returns the dropped value. */
export function dropOldestAt<K, V>(map: Map<K, V>, capacity: number): V | undefined {
  if (map.size < capacity) return undefined
  const oldest = map.entries().next()
  if (oldest.done === true) return undefined
  map.delete(oldest.value[0])
  return oldest.value[1]
}
