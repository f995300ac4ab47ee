/**
 * One connection to the Redis (or Valkey) that replicas share, through ioredis. It fails fast:
 * a command while the connection is down is refused at once (no offline queue, no resend), so a
 * request answers 503 instead of hanging, and the client reconnects by itself in the background.
 */
import { createHash } from 'node:crypto'
import { hostname } from 'node:os'
import { Redis } from 'ioredis'
import { stateUnavailable } from '../../errors.js'
import { RedisUnreachableError } from '../../errors/startup.js'

/** How long the start waits for Redis before giving up. */
const CONNECT_TIMEOUT_MS = 3000
/** The longest pause between reconnection attempts once serving. */
const MAX_RECONNECT_DELAY_MS = 500

type Arg = string | number | Buffer

export class RedisConnection {
  readonly #shas = new Map<string, string>()

  private constructor(
    readonly client: Redis,
    /** Marks this process's journal entries: `WHOP_MOCK_REPLICA_ID`, else host and pid. */
    readonly replicaId: string,
  ) {}

  /** Connect, or throw RedisUnreachableError with one line saying why. */
  static async open(url: string, replicaId = process.env.WHOP_MOCK_REPLICA_ID ?? `${hostname()}:${process.pid}`): Promise<RedisConnection> {
    let client: Redis
    try {
      client = new Redis(url, {
        lazyConnect: true,
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
        maxRetriesPerRequest: 0,
        // Commands issued in the same tick (concurrent requests, or one request's independent
        // steps) leave in one write: fewer network round trips under load.
        enableAutoPipelining: true,
        connectTimeout: CONNECT_TIMEOUT_MS,
        retryStrategy: (attempt) => Math.min(attempt * 50, MAX_RECONNECT_DELAY_MS),
      })
    } catch (error) {
      throw new RedisUnreachableError(`${url} is not a Redis URL: ${(error as Error).message}`)
    }
    // Errors while serving surface as 503s on the requests that meet them; the event itself is expected.
    client.on('error', () => {})
    try {
      await client.connect()
    } catch (error) {
      client.disconnect()
      throw new RedisUnreachableError(`${url} cannot be reached: ${(error as Error).message}`)
    }
    return new RedisConnection(client, replicaId)
  }

  /** Whether commands can be sent now. */
  get healthy(): boolean {
    return this.client.status === 'ready'
  }

  /** Run a Lua script by its hash, loading it the first time Redis does not know it. Redis failures become a 503. */
  async script(lua: string, args: readonly Arg[]): Promise<unknown> {
    return this.call(async () => {
      const sha = this.#sha(lua)
      try {
        return await this.client.evalsha(sha, 0, ...args)
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
        return await this.client.eval(lua, 0, ...args)
      }
    })
  }

  /** Run commands; any Redis failure becomes the 503 every family renders. */
  async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run()
    } catch (error) {
      // A Lua error is a bug in the script, not an outage: let it be the 500 it is.
      if (error instanceof Error && /ERR .*script/i.test(error.message)) throw error
      throw stateUnavailable()
    }
  }

  /** Every key under a prefix, a page at a time. */
  async keys(prefix: string): Promise<string[]> {
    return this.call(async () => {
      const found: string[] = []
      for await (const page of this.client.scanStream({ match: `${prefix}*`, count: 500 })) found.push(...(page as string[]))
      return found
    })
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect())
  }

  #sha(lua: string): string {
    let sha = this.#shas.get(lua)
    if (sha === undefined) {
      sha = createHash('sha1').update(lua).digest('hex')
      this.#shas.set(lua, sha)
    }
    return sha
  }
}

/** Where a tenant's keys live. The braces are a hash tag: a tenant's keys share one Cluster slot. */
export function tenantPrefix(tenant: string | null): string {
  return `wam:{${tenant ?? '.'}}:`
}
