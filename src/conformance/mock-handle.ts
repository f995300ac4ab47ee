/**
 * The runner's grip on the mock (fixtures, reset, clock, journal, faults, tamperings): the same
 * operations whether the runner started the mock in this process or was pointed at a running one
 * (then through the control API under /_mock/, in a fresh tenant of that mock).
 */
import { request } from 'undici'
import { startMockServer } from '../index.js'
import type { Fault, FaultSpec } from '../state/faults.js'
import type { FixtureData, WorldData } from '../state/fixtures.js'
import type { JournalEntry, JournalFilter } from '../state/journal.js'
import type { TamperSpec } from '../state/tampering.js'
import { SetupError } from '../errors/startup.js'
import { splitTenantPath } from '../tenant-path.js'

export interface MockHandle {
  /** The origin apps are pointed at, no trailing slash. */
  url: string
  fixtures(): Promise<WorldData>
  /** Fixtures, clock, journal and faults back to their start state. */
  reset(): Promise<void>
  advanceClock(seconds: number): Promise<void>
  /** Mock-clock time now. */
  now(): Promise<Date>
  journal(filter?: JournalFilter): Promise<JournalEntry[]>
  addFault(fault: FaultSpec): Promise<void>
  clearFaults(): Promise<void>
  /** The faults still armed, each with the shots it has left. */
  faults(): Promise<Fault[]>
  /** Spoil the next id_token or userinfo answer for one client. */
  tamper(spec: TamperSpec): Promise<void>
  /** Stop the mock if the runner started it; otherwise leave it running. */
  close(): Promise<void>
}

/** Start a mock in this process (silent, so its logs do not mix with the report). */
export async function startLocalMock(options: { port: number; fixtures: string | FixtureData | null }): Promise<MockHandle> {
  let mock
  try {
    mock = await startMockServer({
      port: options.port,
      ...(options.fixtures !== null && { fixtures: options.fixtures }),
      logLevel: 'silent',
    })
  } catch (error) {
    throw new SetupError(`cannot start the mock: ${(error as Error).message}`)
  }
  return {
    url: mock.url,
    fixtures: async () => mock.fixtures(),
    reset: async () => mock.reset(),
    advanceClock: async (seconds) => mock.advanceClock(seconds),
    now: async () => mock.now(),
    journal: async (filter) => mock.journal(filter),
    addFault: async (fault) => void mock.addFault(fault),
    clearFaults: async () => mock.clearFaults(),
    faults: async () => mock.listFaults(),
    tamper: async (spec) => void mock.tamper(spec),
    close: () => mock.close(),
  }
}

type Control = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, json?: unknown) => Promise<T>

/**
 * The control API of the world at `base` (a mock's URL, or a tenant's). A locked mock's control
 * token comes from WHOP_MOCK_CONTROL_TOKEN, as `serve` reads it, unless given.
 */
function controlAt(base: string, controlToken = process.env.WHOP_MOCK_CONTROL_TOKEN): Control {
  const lock = controlToken === undefined || controlToken === '' ? {} : { authorization: `Bearer ${controlToken}` }
  return async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, json?: unknown): Promise<T> => {
    const res = await request(`${base}/_mock/${path}`, {
      method,
      headers: { ...lock, ...(json !== undefined && { 'content-type': 'application/json' }) },
      ...(json !== undefined && { body: JSON.stringify(json) }),
      signal: AbortSignal.timeout(10_000),
    })
    const text = await res.body.text()
    if (res.statusCode >= 400) throw new Error(`${method} /_mock/${path} answered ${res.statusCode}: ${text.slice(0, 200)}`)
    return (text === '' ? undefined : JSON.parse(text)) as T
  }
}

/** Create a fresh tenant of the mock at `url`; its name. */
async function freshTenant(control: Control, url: string): Promise<string> {
  try {
    return (await control<{ name: string }>('POST', 'tenants')).name
  } catch (error) {
    throw new SetupError(`the mock at ${url} cannot make a tenant for this run (${(error as Error).message})`)
  }
}

/**
 * A mock reached over HTTP; fails with a SetupError when /_mock/health does not answer. With
 * `freshTenant` (the runner starts the app, so it can hand the app the tenant's URLs) and a URL
 * that names no tenant yet, the run gets a tenant of its own, deleted at close, so runs against
 * one mock never share a world; a URL under /t/{tenant}/ is used as it is.
 */
export async function connectMock(
  url: string,
  options: { freshTenant?: boolean; controlToken?: string | undefined } = {},
): Promise<MockHandle> {
  const controlOf = (base: string) => controlAt(base, options.controlToken ?? process.env.WHOP_MOCK_CONTROL_TOKEN)
  try {
    await controlOf(url)('GET', 'health')
  } catch (error) {
    throw new SetupError(`no whop-auth-mock answers at ${url} (GET /_mock/health: ${(error as Error).message})`)
  }
  const name =
    options.freshTenant === true && splitTenantPath(new URL(url).pathname) === null ? await freshTenant(controlOf(url), url) : null
  const base = name === null ? url : `${url}/t/${name}`
  const control = controlOf(base)
  return {
    url: base,
    fixtures: () => control<WorldData>('GET', 'fixtures'),
    reset: () => control('POST', 'reset'),
    advanceClock: (seconds) => control('POST', 'clock', { advance_seconds: seconds }),
    now: async () => new Date((await control<{ now: string }>('GET', 'clock')).now),
    journal: async (filter = {}) => {
      const query = new URLSearchParams(
        Object.entries(filter)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      )
      const suffix = query.size === 0 ? '' : `?${query}`
      return (await control<{ entries: JournalEntry[] }>('GET', `journal${suffix}`)).entries
    },
    addFault: (fault) => control('POST', 'faults', fault),
    clearFaults: () => control('DELETE', 'faults'),
    faults: async () => (await control<{ faults: Fault[] }>('GET', 'faults')).faults,
    tamper: (spec) => control('POST', 'tamper', spec),
    close: async () => {
      if (name !== null) await controlOf(url)('DELETE', `tenants/${name}`)
    },
  }
}
