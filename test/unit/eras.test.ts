/**
 * The eras table and the spec agree: every era, flow and sign-in variant is served by the spec's
 * operations, every extension names a known row, and the conformance config offers exactly the
 * variants the table has.
 */
import { readFileSync } from 'node:fs'
import t from 'tap'
import { authorizePaths, signInPaths, tokenPaths } from '../../src/era-paths.js'
import { FLOWS, SIGN_IN_VARIANTS, TOKEN_ERAS, resolveEra, resolveFlow, variantEra } from '../../src/eras.js'
import { configSchemaPath } from '../../src/conformance/config.js'
import { loadBundledSpec } from '../../src/spec/load-spec.js'

const { operations } = await loadBundledSpec()
const servedBy = (path: string) => operations.filter((op) => op.routePaths.includes(path))

t.test('every token era is served by a POST operation that names it, and no operation names an unknown era', async (t) => {
  for (const era of TOKEN_ERAS) {
    const paths = tokenPaths(operations, (e) => e.name === era.name)
    t.ok(paths.length > 0, `${era.name} has a token path`)
    for (const path of paths)
      t.ok(
        servedBy(path).every((op) => op.method === 'POST' && op.extensions['x-token-era'] === era.name),
        path,
      )
  }
  for (const op of operations)
    if (op.extensions['x-token-era'] !== undefined) t.doesNotThrow(() => resolveEra(op.extensions['x-token-era']))
})

t.test('every flow has a GET authorize page, and every x-authorize-flow names a known flow', async (t) => {
  for (const flow of FLOWS) {
    const paths = authorizePaths(operations, flow)
    t.ok(paths.length > 0, `${flow} has an authorize page`)
    for (const path of paths)
      t.ok(
        servedBy(path).some((op) => op.method === 'GET' && op.extensions['x-authorize-flow'] === flow),
        path,
      )
  }
  const named = operations.filter((op) => op.extensions['x-authorize-flow'] !== undefined)
  t.same(named.map((op) => op.operationId).sort(), ['authorize', 'authorizeLegacy'])
  for (const op of named) t.doesNotThrow(() => resolveFlow(op.extensions['x-authorize-flow']))
  t.throws(() => resolveFlow('implicit'), /unknown authorize flow "implicit"/)
})

t.test("a sign-in variant's paths are its era's token paths and its era's flow's authorize pages", async (t) => {
  for (const { name, era } of SIGN_IN_VARIANTS) {
    const paths = signInPaths(operations, name)
    t.equal(variantEra(name).name, era)
    t.same(
      paths.token,
      tokenPaths(operations, (e) => e.name === era),
      name,
    )
    t.same(paths.authorize, authorizePaths(operations, resolveEra(era).flow), name)
    t.ok(paths.token.length > 0 && paths.authorize.length > 0, `${name} has somewhere to go`)
  }
})

t.test('the config schema offers exactly the sign-in variants of the table', async (t) => {
  const schema = JSON.parse(readFileSync(configSchemaPath, 'utf8')) as {
    properties: { oauth: { properties: { flow: { enum: string[] } } } }
  }
  t.same(
    schema.properties.oauth.properties.flow.enum,
    SIGN_IN_VARIANTS.map((v) => v.name),
  )
})
