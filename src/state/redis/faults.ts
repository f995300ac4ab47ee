/** Faults in Redis: armed at any replica, each shot taken once across all of them. */
import { armable, faultsFull, type AnswerEffect, type Fault, type FaultSpec, type FaultTarget, type StallEffect } from '../faults.js'
import type { FaultOperations } from '../store.js'
import type { RedisConnection } from './connection.js'
import { ADD_FAULT, CONF_FIELDS, LIST_FAULTS, SYNC } from './lua-shared.js'
import { parseRecord } from './records.js'

/** A fault as kept: its JSON without id and shots left, which Redis keeps beside it. */
export function faultOf(id: unknown, json: unknown, remaining: unknown): Fault {
  return {
    ...parseRecord<Omit<FaultTarget, 'id' | 'remaining'> & (StallEffect | AnswerEffect)>(json),
    id: Number(id),
    remaining: Number(remaining),
  }
}

export class RedisFaults implements FaultOperations {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  async add(spec: FaultSpec): Promise<Fault> {
    const { remaining, ...rest } = armable(spec)
    const id = await this.redis.script(ADD_FAULT, [this.prefix, rest.method ?? '', rest.path, remaining, JSON.stringify(rest)])
    if (id === 0) throw faultsFull()
    return { ...rest, id: Number(id), remaining }
  }

  /** One shot of the first matching fault (requests take theirs in the same step as the clock; see shared.ts). */
  async take(method: string, path: string): Promise<Fault | undefined> {
    const reply = await this.redis.script(SYNC, [this.prefix, method, path, '1'])
    if (!Array.isArray(reply)) return undefined
    const [json, left, id] = reply.slice(CONF_FIELDS.length, CONF_FIELDS.length + 3)
    return json === null ? undefined : faultOf(id, json, left)
  }

  async list(): Promise<Fault[]> {
    const flat = await this.redis.script(LIST_FAULTS, [this.prefix])
    const faults: Fault[] = []
    if (!Array.isArray(flat)) return faults
    for (let i = 0; i + 2 < flat.length; i += 3) faults.push(faultOf(flat[i], flat[i + 1], flat[i + 2]))
    return faults
  }

  async clear(): Promise<void> {
    const keys = [...(await this.redis.keys(`${this.prefix}fault:`)), `${this.prefix}faults`]
    await this.redis.call(() => this.redis.client.unlink(...keys))
  }
}
