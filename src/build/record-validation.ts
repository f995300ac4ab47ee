/**
 * Build step (`npm run build`): validate the bundled spec with swagger-parser and the built-in
 * fixtures with their JSON Schema, and record both by SHA-256 (see build-record.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { buildRecordPath, sha256Of, type BuildRecord } from '../build-record.js'
import { defaultFixturesPath, specPath } from '../paths.js'
import { readSpec, validateWithSwaggerParser } from '../spec/load-spec.js'
import { readFixtureFile } from '../state/fixtures.js'

function swaggerParserVersion(): string {
  const manifest = createRequire(import.meta.url).resolve('@apidevtools/swagger-parser/package.json')
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
}

const document = await validateWithSwaggerParser(specPath)
readSpec(document, specPath) // the operation table must build too, or the record is worthless
readFixtureFile(defaultFixturesPath)
const record: BuildRecord = {
  spec: { sha256: sha256Of(readFileSync(specPath)), validator: `@apidevtools/swagger-parser ${swaggerParserVersion()}`, document },
  fixtures: { sha256: sha256Of(readFileSync(defaultFixturesPath)) },
}
writeFileSync(buildRecordPath, JSON.stringify(record))
process.stdout.write(
  `validated at build: spec (${record.spec.validator}) ${record.spec.sha256.slice(0, 12)}…, fixtures ${record.fixtures.sha256.slice(0, 12)}…\n`,
)
