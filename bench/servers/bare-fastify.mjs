// @ts-check
/**
 * The ceiling: Fastify 5 with one JSON route and nothing else, run as its own process on
 * loopback like the mock's CLI. No logger, no plugins, no validation.
 *
 *   node bench/servers/bare-fastify.mjs --port 4011
 */
import Fastify from 'fastify'
import { serverOptions, stopOnSignal } from './cli.mjs'

const values = serverOptions()

const app = Fastify({ logger: false })
app.get('/', async () => ({ hello: 'world' }))
await app.listen({ port: Number(values.port), host: values.host })
process.stdout.write(`bare Fastify listening on ${app.listeningOrigin}\n`)
stopOnSignal(() => app.close())
