/**
 * A tenant's world in Redis, so what the provisioning API creates or changes at one replica is
 * there at all: the start fixtures when a replica made the tenant with its own (`world:start`),
 * an imported world (`world:base`), and every object written since (`world:objects`, a hash of
 * `<kind>/<id>` to `<order> <json>`), with a revision every request's sync reads, so a replica
 * reloads only after a change. Uploaded bytes sit beside them (`world:content:<id>`), bounded in
 * all. None of these keys expires: they are the world, kept until reset or the tenant is deleted.
 */
import type { Content, ExportedContent } from '../file-contents.js'
import type { SharedWorld, SharedWorldState } from '../store.js'
import type { WorldObject } from '../world-objects.js'
import type { RedisConnection } from './connection.js'

/** Returns rev, base, start, then the objects' hash flat. */
const LOAD_WORLD = `
local P = ARGV[1]
local out = {redis.call('GET', P .. 'world:rev') or '0', redis.call('GET', P .. 'world:base'), redis.call('GET', P .. 'world:start')}
for _, v in ipairs(redis.call('HGETALL', P .. 'world:objects')) do table.insert(out, v) end
return out`

/** ARGV[2]: most objects kept; ARGV[3..]: name, json pairs. Returns {rev before, rev after}, or 0 when full. */
const PUT_OBJECTS = `
local P = ARGV[1]
local key = P .. 'world:objects'
local adding = 0
for i = 3, #ARGV, 2 do if redis.call('HEXISTS', key, ARGV[i]) == 0 then adding = adding + 1 end end
if redis.call('HLEN', key) + adding > tonumber(ARGV[2]) then return 0 end
for i = 3, #ARGV, 2 do
  local held = redis.call('HGET', key, ARGV[i])
  local order = held and string.sub(held, 1, string.find(held, ' ') - 1) or redis.call('INCR', P .. 'world:seq')
  redis.call('HSET', key, ARGV[i], order .. ' ' .. ARGV[i + 1])
end
local before = redis.call('GET', P .. 'world:rev') or '0'
return {before, tostring(redis.call('INCR', P .. 'world:rev'))}`

/** ARGV[2..4]: file id, content type, bytes; ARGV[5]: the byte limit. Returns 1, or -(bytes stored) when it would pass the limit. */
const PUT_CONTENT = `
local P = ARGV[1]
local key = P .. 'world:content:' .. ARGV[2]
local total = tonumber(redis.call('GET', P .. 'world:content-bytes') or '0') - redis.call('HSTRLEN', key, 'bytes')
if total + #ARGV[4] > tonumber(ARGV[5]) then return -total end
redis.call('HSET', key, 'type', ARGV[3], 'bytes', ARGV[4])
redis.call('SET', P .. 'world:content-bytes', total + #ARGV[4])
return 1`

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null)

export class RedisWorld implements SharedWorld {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  async load(): Promise<SharedWorldState> {
    const reply = await this.redis.script(LOAD_WORLD, [this.prefix])
    const values: unknown[] = Array.isArray(reply) ? reply : []
    const ordered: { order: number; object: WorldObject }[] = []
    for (let i = 3; i + 1 < values.length; i += 2) {
      const held = String(values[i + 1])
      const space = held.indexOf(' ')
      ordered.push({ order: Number(held.slice(0, space)), object: { name: String(values[i]), json: held.slice(space + 1) } })
    }
    ordered.sort((x, y) => x.order - y.order)
    return { rev: String(values[0]), base: text(values[1]), start: text(values[2]), objects: ordered.map((o) => o.object) }
  }

  async put(objects: readonly WorldObject[], capacity: number): Promise<{ before: string; after: string } | null> {
    const args = objects.flatMap((o) => [o.name, o.json])
    const reply = await this.redis.script(PUT_OBJECTS, [this.prefix, capacity, ...args])
    if (!Array.isArray(reply)) return null
    return { before: String(reply[0]), after: String(reply[1]) }
  }

  async replace(base: string, contents: readonly ExportedContent[]): Promise<void> {
    await this.#clearContents()
    const p = this.prefix
    const pipeline = this.redis.client.multi().set(`${p}world:base`, base).unlink(`${p}world:objects`, `${p}world:seq`)
    let bytes = 0
    for (const c of contents) {
      const raw = Buffer.from(c.base64, 'base64')
      bytes += raw.length
      pipeline.hset(`${p}world:content:${c.id}`, 'type', c.content_type, 'bytes', raw)
    }
    await this.redis.call(() => pipeline.set(`${p}world:content-bytes`, bytes).incr(`${p}world:rev`).exec())
  }

  async setStart(start: string): Promise<void> {
    await this.redis.call(() => this.redis.client.multi().set(`${this.prefix}world:start`, start).incr(`${this.prefix}world:rev`).exec())
  }

  async clear(keepStart: boolean): Promise<void> {
    await this.#clearContents()
    const p = this.prefix
    const keys = ['base', 'objects', 'seq', 'content-bytes', ...(keepStart ? [] : ['start'])].map((k) => `${p}world:${k}`)
    await this.redis.call(() =>
      this.redis.client
        .multi()
        .unlink(...keys)
        .incr(`${p}world:rev`)
        .exec(),
    )
  }

  async putContent(id: string, content: Content, maxBytes: number): Promise<number | null> {
    const reply = await this.redis.script(PUT_CONTENT, [this.prefix, id, content.type, content.bytes, maxBytes])
    return reply === 1 ? null : -Number(reply)
  }

  async content(id: string): Promise<Content | undefined> {
    const held = await this.redis.call(() => this.redis.client.hgetallBuffer(`${this.prefix}world:content:${id}`))
    const bytes = held.bytes
    return bytes === undefined ? undefined : { type: held.type?.toString('utf8') ?? 'application/octet-stream', bytes }
  }

  async #clearContents(): Promise<void> {
    const keys = await this.redis.keys(`${this.prefix}world:content:`)
    if (keys.length > 0) await this.redis.call(() => this.redis.client.unlink(...keys))
  }
}
