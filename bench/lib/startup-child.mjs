/**
 * One fresh process of the start-up breakdown (lib/startup.mjs runs it many times). It walks
 * the steps of one recipe in order, the way the server starts, and prints each step's wall
 * time as JSON. Steps share the process, so a module imported by an earlier step is free later,
 * exactly as at a real start.
 *
 *   node bench/lib/startup-child.mjs <recipe> [spec-json-path]
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

const origin = performance.now() // ms since the process began: node's own boot and the ESM loader
const dist = new URL('../../dist/', import.meta.url)
const [recipe, specJsonPath] = process.argv.slice(2)

/** Each recipe: [label, step] in start order; a step may return state for the next. */
const RECIPES = {
  mock: [
    ['import fastify + @fastify/formbody', () => Promise.all([import('fastify'), import('@fastify/formbody')])],
    ['import ajv (2020) + ajv-formats', () => Promise.all([import('ajv/dist/2020.js'), import('ajv-formats')])],
    ['import jose', () => import('jose')],
    ['import @apidevtools/swagger-parser (+ json-schema-ref-parser, js-yaml, openapi-schemas)', () => import('@apidevtools/swagger-parser')],
    ['import the mock\'s own modules (dist/index.js)', () => import(new URL('index.js', dist).href)],
    ['fixtures: read, compile fixtures/schema.json with ajv, check', async () => {
      const { readFixtureFile } = await import(new URL('state/fixtures.js', dist).href)
      const { defaultFixturesPath } = await import(new URL('paths.js', dist).href)
      readFixtureFile(defaultFixturesPath)
    }],
    ['spec: swagger-parser validate + operation table (loadBundledSpec)', async () => {
      const { loadBundledSpec } = await import(new URL('spec/load-spec.js', dist).href)
      await loadBundledSpec()
    }],
    ['build: ajv request validators, ES256 key, Fastify app, hooks, routes (spec and fixture schema already cached)', async (s) => {
      const { buildMockServer } = await import(new URL('index.js', dist).href)
      return { built: await buildMockServer({ port: 0 }) }
    }],
    ['listen on 127.0.0.1', async (s) => {
      await s.built.app.listen({ port: 0, host: '127.0.0.1' })
      await s.built.app.close()
    }],
  ],
  bare: [
    ['import fastify', () => import('fastify')],
    ['build app + one route', async () => {
      const { default: Fastify } = await import('fastify')
      const app = Fastify({ logger: false })
      app.get('/', async () => ({ hello: 'world' }))
      return { app }
    }],
    ['listen on 127.0.0.1', async (s) => {
      await s.app.listen({ port: 0, host: '127.0.0.1' })
      await s.app.close()
    }],
  ],
  // What a start would do instead of swagger-parser if a build step had validated the spec and
  // stored the validated document (as JSON) with the spec file's hash.
  'cached-spec': [
    ['read spec YAML + sha256 (compare with the stored hash)', () => createHash('sha256').update(readFileSync(new URL('../../spec/whop-auth.openapi.yaml', import.meta.url))).digest('hex')],
    ['read + JSON.parse the stored validated document', () => JSON.parse(readFileSync(specJsonPath, 'utf8'))],
  ],
}

const steps = RECIPES[recipe]
if (steps === undefined) throw new Error(`unknown recipe ${recipe}`)
const out = [['node boot + ESM loader (before the first line)', origin]]
let state = {}
for (const [label, step] of steps) {
  const t = performance.now()
  state = (await step(state)) ?? state
  out.push([label, performance.now() - t])
}
process.stdout.write(`${JSON.stringify(out)}\n`)
