/**
 * A real redis-server for one test file, on a free loopback port, with no persistence (a
 * restart starts it empty unless `keep` asks to save and reload). Without Debian's package the
 * test fails at once with one line saying how to get it; it never skips.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import type { Test } from 'tap'
import { freePort } from '../../helpers/ports.js'

export const REDIS_SERVER = '/usr/bin/redis-server'

export interface RedisServer {
  port: number
  url: string
  /** A client for looking inside (INFO, keys) from the test. */
  client: () => Redis
  /** Stop it at once, as a crash would (SIGKILL). */
  kill: () => Promise<void>
  /** Start it again on the same port; with `dir` kept, it reloads what it saved (dump.rdb on SAVE). */
  start: () => Promise<void>
}

async function waitForPing(port: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 })
    probe.on('error', () => {})
    try {
      await probe.connect()
      await probe.ping()
      probe.disconnect()
      return
    } catch {
      probe.disconnect()
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within ${ms} ms`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

export async function startRedis(t: Test): Promise<RedisServer> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: apt-get install redis-server`)
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'wam-redis-'))
  let child: ChildProcess | null = null
  const clients: Redis[] = []
  const start = async () => {
    child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    })
    await waitForPing(port)
  }
  const kill = async () => {
    const running = child
    if (running === null || running.exitCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGKILL')
    await exited
  }
  await start()
  t.teardown(async () => {
    for (const c of clients) c.disconnect()
    await kill()
    rmSync(dir, { recursive: true, force: true })
  })
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    client: () => {
      const c = new Redis({ port, host: '127.0.0.1' })
      c.on('error', () => {})
      clients.push(c)
      return c
    },
    kill,
    start,
  }
}
