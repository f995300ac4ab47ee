/**
 * What `npm run build` validated, keyed by content hash, so a start can skip re-checking bytes
 * that were already checked: the bundled spec (by swagger-parser, whose dereferenced document is
 * kept) and the built-in fixtures (by their JSON Schema). Any other bytes are checked at start.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { OpenAPIV3_1 } from 'openapi-types'
import { packageRoot } from './paths.js'

export interface BuildRecord {
  spec: { sha256: string; validator: string; document: OpenAPIV3_1.Document }
  fixtures: { sha256: string }
}

export const buildRecordPath = `${packageRoot}dist/validated-at-build.json`

export function sha256Of(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}

const records = new Map<string, BuildRecord | null>()

/** The build's record, or null when there is none (a source checkout that was never built). */
export function readBuildRecord(file: string = buildRecordPath): BuildRecord | null {
  if (!records.has(file)) {
    try {
      records.set(file, JSON.parse(readFileSync(file, 'utf8')) as BuildRecord)
    } catch {
      records.set(file, null)
    }
  }
  return records.get(file)!
}
