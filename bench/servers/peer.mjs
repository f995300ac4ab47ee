// @ts-check
/**
 * The peer: oauth2-mock-server 7 (a devDependency used only by the benchmark), started the way
 * its README shows: one generated signing key, then OAuth2Server.start on loopback.
 * `--alg` picks the key type; RS256 is the README's example, ES256 matches what the mock signs with.
 *
 *   node bench/servers/peer.mjs --port 4012 --alg RS256
 */
import oauth2MockServer from 'oauth2-mock-server'
import { serverOptions, stopOnSignal } from './cli.mjs'

const { OAuth2Server } = oauth2MockServer
const values = serverOptions({ alg: { type: 'string', default: 'RS256' } })
const alg = String(values.alg)

const server = new OAuth2Server()
await server.issuer.keys.generate(alg)
await server.start(Number(values.port), values.host)
process.stdout.write(`oauth2-mock-server (${alg}) listening on ${server.issuer.url}\n`)
stopOnSignal(() => server.stop())
