/**
 * The Node preload: `node --import whop-auth-mock/register app.js` (or the same in NODE_OPTIONS)
 * sends the process's requests for Whop's hosts (see whop-hosts.ts) to a mock: the one at
 * WHOP_MOCK_URL, or one started in this process when it is unset (its URL is printed on stderr
 * and put in WHOP_MOCK_URL, so child processes that inherit the preload share it). Covers fetch and
 * undici (the global dispatcher) and node:http / node:https `request` and `get`.
 *
 * It refuses to run when NODE_ENV is production, unless WHOP_MOCK_FORCE=1: an app in production
 * must talk to Whop.
 */
import { installNodeHttpReroute } from './node-http-reroute.js'
import { mockTarget, type MockTarget } from './target.js'
import { installUndiciReroute } from './undici-reroute.js'

const PREFIX = 'whop-auth-mock/register:'

function refuse(message: string): never {
  process.stderr.write(`${PREFIX} ${message}\n`)
  process.exit(1)
}

if (process.env.NODE_ENV === 'production') {
  if (process.env.WHOP_MOCK_FORCE !== '1')
    refuse("refusing to reroute Whop's hosts to a mock because NODE_ENV is production; set WHOP_MOCK_FORCE=1 to do it anyway")
  process.stderr.write(`${PREFIX} WARNING: NODE_ENV is production and WHOP_MOCK_FORCE=1: Whop's hosts go to a mock\n`)
}

async function mockUrl(): Promise<string> {
  const given = process.env.WHOP_MOCK_URL
  if (given !== undefined && given !== '') return given
  // Loaded only when needed: with WHOP_MOCK_URL set, the app does not pay for building a mock.
  const { startInProcessMock } = await import('./in-process.js')
  const url = await startInProcessMock()
  process.env.WHOP_MOCK_URL = url
  process.stderr.write(`${PREFIX} Whop's hosts go to ${url} (a mock in this process; set WHOP_MOCK_URL to use another)\n`)
  return url
}

function targetOf(url: string): MockTarget {
  try {
    return mockTarget(url)
  } catch (error) {
    return refuse(`WHOP_MOCK_URL: ${error instanceof Error ? error.message : String(error)}`)
  }
}

const target = targetOf(await mockUrl())
installUndiciReroute(target)
installNodeHttpReroute(target)
