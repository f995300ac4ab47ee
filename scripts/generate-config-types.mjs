// Writes src/generated/conformance-config.ts: the TypeScript type of a conformance config file,
// generated from conformance/config.schema.json (the published schema) so the two never differ.
// Run by `npm run build` before tsc; the output is not committed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { compile } from 'json-schema-to-typescript'

const root = new URL('../', import.meta.url)
const schema = JSON.parse(readFileSync(new URL('conformance/config.schema.json', root), 'utf8'))
const out = new URL('src/generated/conformance-config.ts', root)

// The root type is named here: the schema's title is for people and its $id is a URL.
delete schema.title
delete schema.$id
const source = await compile(schema, 'ConformanceConfigFile', {
  bannerComment: '/* Generated from conformance/config.schema.json by scripts/generate-config-types.mjs: do not edit. */',
  additionalProperties: false,
  format: false,
})
mkdirSync(new URL('.', out), { recursive: true })
writeFileSync(out, source)
