/**
 * The bytes of uploaded files, kept beside the world they belong to (a world's `files` list
 * holds what a file is; this holds what it contains), and their form in a state document.
 */
import type { WorldData } from './fixtures.js'

export interface Content {
  type: string
  bytes: Buffer
}

/** A file's bytes in a state document (spec/state.schema.json `file_contents`). */
export interface ExportedContent {
  id: string
  content_type: string
  base64: string
}

const contents = new WeakMap<WorldData, Map<string, Content>>()

/** The uploaded bytes of a world, by file id. */
export function contentStore(data: WorldData): Map<string, Content> {
  let store = contents.get(data)
  if (store === undefined) {
    store = new Map()
    contents.set(data, store)
  }
  return store
}

export function exportFileContents(data: WorldData): ExportedContent[] {
  return [...contentStore(data)].map(([id, content]) => ({ id, content_type: content.type, base64: content.bytes.toString('base64') }))
}

/** Bytes for files the world does not list are dropped with their ids: nothing could reach them. */
export function importFileContents(data: WorldData, exported: readonly ExportedContent[]): void {
  const store = contentStore(data)
  store.clear()
  const known = new Set((data.files ?? []).map((file) => file.id))
  for (const { id, content_type, base64 } of exported)
    if (known.has(id)) store.set(id, { type: content_type, bytes: Buffer.from(base64, 'base64') })
}
