/**
 * The ceiling: Fastify 5 with one JSON route and nothing else, run as its own process on
 * loopback like the mock's CLI. No logger, no plugins, no validation.
 *
 *   node bench/servers/bare-fastify.mjs --port 4011
 */
import { parseArgs } from 'node:util'
import Fastify from 'fastify'

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } } })

const app = Fastify({ logger: false })
app.get('/', async () => ({ hello: 'world' }))
await app.listen({ port: Number(values.port), host: values.host })
process.stdout.write(`bare Fastify listening on ${app.listeningOrigin}\n`)

const stop = () => app.close().then(() => process.exit(0))
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
