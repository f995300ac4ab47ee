// @ts-check
/**
 * One fresh process of the start-up breakdown (lib/startup.mjs runs it many times). It walks a
 * real start step by step, calling the mock's own functions from dist/ rather than imitating
 * them, and prints each step's wall time as JSON. Steps share the process, so a module an
 * earlier step imported is free later, exactly as at a real start.
 *
 *  - mock: what `node dist/cli/main.cjs serve` does (lib/startup.mjs spawns this with the
 *    UV_THREADPOOL_SIZE=1 that main.cjs sets): import fastify, import the modules the CLI loads
 *    for serve, apply serve's heap settings and build (buildMockServer, the first half of
 *    startMockServer), listen (its second half).
 *  - bare: what bench/servers/bare-fastify.mjs does.
 *
 *   node bench/lib/startup-child.mjs mock|bare
 */

const origin = performance.now() // ms since the process began: node's own boot and the ESM loader
const [recipe] = process.argv.slice(2)

/**
 * What a step leaves for the next: the app, once built.
 * @typedef {{ app?: import('fastify').FastifyInstance }} State
 */

/** @param {State} s */
const appOf = (s) => {
  if (s.app === undefined) throw new Error('no app yet: a build step comes first')
  return s.app
}

/**
 * Each recipe: [label, step] in start order; a step may leave state (the app) for the next.
 * @type {Record<string, [string, (s: State) => Promise<unknown>][]>}
 */
const RECIPES = {
  mock: [
    ['import fastify', () => import('fastify')],
    [
      "import the mock's modules (what dispatch.js and serve.js load: server, surfaces, stores, @fastify/formbody)",
      async () => {
        // dispatch.js's own imports are serve.js's but for errors/startup.js (dispatch.js itself runs the CLI on import).
        await import('../../dist/errors/startup.js')
        await import('../../dist/cli/serve.js')
      },
    ],
    [
      'build: heap settings, buildMockServer (fixtures and spec checked against the build record, ES256 key, Fastify app, hooks, routes)',
      async (s) => {
        const { applyServeHeapSettings } = await import('../../dist/cli/heap-settings.js')
        const { buildMockServer } = await import('../../dist/index.js')
        applyServeHeapSettings(process.execArgv, process.env.NODE_OPTIONS)
        // The options the bench's `serve --port 0 --log-level silent` resolves to.
        s.app = (await buildMockServer({ port: 0, host: '127.0.0.1', logLevel: 'silent' })).app
      },
    ],
    ['listen on 127.0.0.1', (s) => appOf(s).listen({ port: 0, host: '127.0.0.1' })],
  ],
  bare: [
    ['import fastify', () => import('fastify')],
    [
      'build app + one route',
      async (s) => {
        const { default: Fastify } = await import('fastify')
        s.app = Fastify({ logger: false })
        s.app.get('/', async () => ({ hello: 'world' }))
      },
    ],
    ['listen on 127.0.0.1', (s) => appOf(s).listen({ port: 0, host: '127.0.0.1' })],
  ],
}

const steps = recipe === undefined ? undefined : RECIPES[recipe]
if (steps === undefined) throw new Error(`unknown recipe ${recipe}; one of ${Object.keys(RECIPES).join(', ')}`)
/** @type {[string, number][]} */
const out = [['node boot + ESM loader (before the first line)', origin]]
/** @type {State} */
const state = {}
for (const [label, step] of steps) {
  const t = performance.now()
  await step(state)
  out.push([label, performance.now() - t])
}
await state.app?.close()
process.stdout.write(`${JSON.stringify(out)}\n`)
