/**
 * whop-auth-mock as a library: start a mock of Whop's authentication API in-process.
 *
 * ```ts
 * const mock = await startMockServer({ port: 0 })
 * // point @whop/sdk at `${mock.url}/api/v1`, then:
 * await mock.advanceClock(3600)
 * await mock.close()
 * ```
 */
import type { AddressInfo } from 'node:net'
import { buildMockServer, type BuiltMockServer } from './server.js'
import type { MockServerOptions } from './options.js'
import { OptionError } from './errors/startup.js'
import { isTenantName, tenantBasePath, TENANT_NAME_RULE } from './tenant-path.js'
import { pickTenantName } from './tenants/registry.js'
import { worldHelpers, type WorldHelpers } from './world-handle.js'
import { applyState, readStateFile, writeStateFile } from './tenants/state-file.js'
import type { WhopProxy } from './proxy/start.js'
import type { ProxyOptions } from './options.js'

export type { MockServerOptions, LogLevel, ProxyOptions } from './options.js'
/**
 * `FixtureData` is what `fixtures()` returns and the `fixtures` option takes: the world, whose apps
 * created through the API may have no redirect URI yet. A fixture file is checked against
 * fixtures/schema.json all the same, which asks for one.
 */
export type { WorldData as FixtureData, WorldData, Company, User, OAuthApp, ApiKey } from './state/fixtures.js'
export type { Fault, FaultSpec } from './state/faults.js'
export type { JournalEntry, JournalFilter } from './state/journal.js'
export { buildMockServer, type BuiltMockServer } from './server.js'
export { FixtureError, OptionError, StartupError, StateError, type StartupErrorCode } from './errors/startup.js'
export type { WorldHelpers } from './world-handle.js'
export type { WhopProxy } from './proxy/start.js'

export interface MockServer extends WorldHelpers {
  /** Where the mock listens, e.g. http://127.0.0.1:4010 (no trailing slash). */
  url: string
  /** The PEM certificate when serving HTTPS (trust it in your client), else null. */
  tlsCertificate: string | null
  /**
   * A tenant of this mock, its own world under `{url}/t/{name}` (created now unless it exists);
   * without a name, a fresh one with a picked name. One per test worker keeps parallel tests apart.
   */
  tenant(name?: string): MockTenant
  /** The HTTP proxy for Whop's hosts (options.proxy), else null. */
  proxy: Omit<WhopProxy, 'close'> | null
  /** Whether the control API needs a control token (options.controlToken). */
  controlLocked: boolean
  /** Stop accepting, finish in-flight requests, release the port; then write the state file, if one was given. */
  close(): Promise<void>
}

export interface MockTenant extends WorldHelpers {
  readonly name: string
  /** `{mock url}/t/{name}`: point clients here instead of at the mock's URL. */
  readonly url: string
  /** Delete the tenant and everything in it. */
  close(): Promise<void>
}

/** Where a TCP server listens; a pipe or a closed server is not what startMockServer opened. */
function listeningAddress(address: AddressInfo | string | null): AddressInfo {
  if (address === null || typeof address === 'string') throw new Error(`the mock is not listening on a TCP port (${String(address)})`)
  return address
}

/**
 * The proxy, when asked for: loaded on demand, so a mock without one never loads the certificate
 * library. It starts before the mock listens, so a mock that answers is one whose proxy answers too;
 * `host()` is the mock's own Host, read per request once it listens.
 */
async function startProxy(options: ProxyOptions | null, app: BuiltMockServer['app'], host: () => string): Promise<WhopProxy | null> {
  if (options === null) return null
  // Loaded only with a proxy: its TLS and HTTP client code is large and most mocks never need it.
  const [{ startWhopProxy }, { injectUpstream }] = await Promise.all([import('./proxy/start.js'), import('./proxy/upstream.js')])
  return startWhopProxy(options, injectUpstream(app, host))
}

/** Build and start a mock server. `port: 0` picks a free port. */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const { app, context, tenants, tlsCertificate } = await buildMockServer(options)
  const { stateFile } = context.options
  const saved = stateFile === undefined ? null : readStateFile(stateFile)
  if (saved !== null && stateFile !== undefined) await applyState(tenants, saved, `state file ${stateFile}`)
  // The mock's own Host for the proxy's requests, known once it listens.
  let ownHost = 'localhost'
  const proxy = await startProxy(context.options.proxy, app, () => ownHost)
  try {
    await app.listen({ port: context.options.port, host: context.options.host })
  } catch (error) {
    await proxy?.close()
    throw error
  }
  const address = listeningAddress(app.server.address())
  // A wildcard bind is reachable on loopback; advertise that rather than an unroutable 0.0.0.0.
  const ip = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address
  const host = ip.includes(':') ? `[${ip}]` : ip
  const url = `${tlsCertificate === null ? 'http' : 'https'}://${host}:${address.port}`
  context.listenUrl = url
  ownHost = new URL(url).host
  const tenant = (name = pickTenantName()): MockTenant => {
    if (!isTenantName(name)) throw new OptionError(`tenant name ${JSON.stringify(name)} is not valid: use ${TENANT_NAME_RULE}`)
    const { context: world } = tenants.useOrCreate(name)
    return Object.assign(worldHelpers(world), {
      name,
      url: `${url}${tenantBasePath(name)}`,
      close: async () => void tenants.delete(name),
    })
  }
  return Object.assign(worldHelpers(context), {
    url,
    tlsCertificate,
    proxy:
      proxy === null
        ? null
        : { url: proxy.url, caFile: proxy.caFile, caBundleFile: proxy.caBundleFile, caCertificate: proxy.caCertificate },
    controlLocked: context.options.controlToken !== undefined,
    tenant,
    close: async () => {
      await proxy?.close()
      await app.close()
      if (stateFile !== undefined) await writeStateFile(stateFile, tenants)
    },
  })
}
