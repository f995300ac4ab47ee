/**
 * `--state-file`: every tenant's state loaded at start and written at a clean stop. A missing
 * file is an empty start; a file that cannot be read as a state document stops the start and is
 * left as it is. Writes go to a temporary file renamed over the old one, so a crash mid-write
 * never leaves half a document.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { checkStateDocument, exportTenant, importTenant, stateDocument, StateError, type StateDocument } from './state-document.js'
import type { TenantRegistry } from './registry.js'

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new StateError(`state file ${file} cannot be read: ${(error as Error).message}`)
  }
}

/** The file's document; null when there is no file yet. Throws StateError naming the problem. */
export function readStateFile(file: string): StateDocument | null {
  const text = readText(file)
  if (text === null) return null
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new StateError(`state file ${file} is not JSON: ${(error as Error).message}`)
  }
  return checkStateDocument(value, `state file ${file}`)
}

/** Make the registry hold the document's tenants (the default one included). */
export async function applyState(registry: TenantRegistry, document: StateDocument, source: string): Promise<void> {
  const named = document.tenants.filter((t) => t.name !== null)
  if (named.length > registry.max)
    throw new StateError(`${source} holds ${named.length} tenants, more than the limit of ${registry.max} (--max-tenants)`)
  for (const state of document.tenants) {
    const tenant = state.name === null ? registry.defaultTenant : (registry.use(state.name) ?? registry.create(state.name, state.fixtures))
    await importTenant(tenant.context, state)
  }
}

/** Write every tenant, default first, atomically. */
export async function writeStateFile(file: string, registry: TenantRegistry): Promise<void> {
  const tenants = await Promise.all([registry.defaultTenant, ...registry.list()].map((t) => exportTenant(t.context)))
  const temporary = `${file}.${process.pid}.tmp`
  writeFileSync(temporary, `${JSON.stringify(stateDocument(tenants))}\n`, { mode: 0o600 })
  renameSync(temporary, file)
}
