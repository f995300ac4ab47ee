/**
 * Tamperings in Redis: armed at any replica, each one used once across all of them (taking it
 * is one script). Every request's sync (see lua-shared.ts) also reads how many are armed, so a
 * replica asks Redis for one only when some are: the usual request pays no extra round trip.
 */
import { MAX_TAMPERINGS, checkTamperSpec, tamperingsFull, type TamperSpec, type TamperTarget, type Tampering } from '../tampering.js'
import type { TamperOperations } from '../store.js'
import type { RedisConnection } from './connection.js'
import { parseRecord } from './records.js'

/** ARGV[2]: the tampering as JSON without its id. Returns it with its id, or 0 when MAX_TAMPERINGS are armed. */
const ADD_TAMPERING = `
local P = ARGV[1]
if redis.call('LLEN', P .. 'tamper') >= ${MAX_TAMPERINGS} then return 0 end
local t = cjson.decode(ARGV[2])
t.id = redis.call('INCR', P .. 'tamper-id')
local json = cjson.encode(t)
redis.call('RPUSH', P .. 'tamper', json)
return json`

/** ARGV[2..3]: target and client id. Removes and returns the oldest match, or nil. */
const TAKE_TAMPERING = `
local P = ARGV[1]
for _, json in ipairs(redis.call('LRANGE', P .. 'tamper', 0, -1)) do
  local t = cjson.decode(json)
  if t.target == ARGV[2] and t.client_id == ARGV[3] then
    redis.call('LREM', P .. 'tamper', 1, json)
    return json
  end
end
return false`

/** How many tamperings the latest sync of this tenant saw armed (written by RedisSharedState). */
export interface ArmedCount {
  tamperings: number
}

export class RedisTamperings implements TamperOperations {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly seen: ArmedCount,
  ) {}

  async add(spec: TamperSpec): Promise<Tampering> {
    const reply = await this.redis.script(ADD_TAMPERING, [this.prefix, JSON.stringify(checkTamperSpec(spec))])
    if (reply === 0) throw tamperingsFull()
    this.seen.tamperings++
    return parseRecord<Tampering>(reply)
  }

  /** Nothing was armed when this request started (its sync said so): no need to ask. */
  take(target: TamperTarget, clientId: string): Promise<Tampering | undefined> | undefined {
    if (this.seen.tamperings === 0) return undefined
    return this.redis
      .script(TAKE_TAMPERING, [this.prefix, target, clientId])
      .then((reply) => (typeof reply === 'string' ? parseRecord<Tampering>(reply) : undefined))
  }

  async list(): Promise<Tampering[]> {
    const raw = await this.redis.call(() => this.redis.client.lrange(`${this.prefix}tamper`, 0, -1))
    return raw.map((json) => parseRecord<Tampering>(json))
  }

  async clear(): Promise<void> {
    await this.redis.call(() => this.redis.client.unlink(`${this.prefix}tamper`))
    this.seen.tamperings = 0
  }
}
