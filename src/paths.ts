/** Files the package ships beside its code, found from this module so they resolve from src/ and dist/ alike. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = new URL('../', import.meta.url)

export const packageRoot = fileURLToPath(root)
export const specPath = fileURLToPath(new URL('spec/whop-auth.openapi.yaml', root))
export const defaultFixturesPath = fileURLToPath(new URL('fixtures/default.json', root))
export const stateSchemaPath = fileURLToPath(new URL('spec/state.schema.json', root))
export const fixturesSchemaPath = fileURLToPath(new URL('fixtures/schema.json', root))

export const packageVersion: string = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }).version
