/**
 * Scenarios for an app's token route: who calls, what Whop (the mock) answers, and what the
 * clock does. Phases order them for apps that cache tokens: the calls that must reach Whop
 * (sign-in refused, Whop failing) run while no token has been handed out, the expiry story last.
 */
import { randomBytes } from 'node:crypto'
import { problemForStatus } from '../../errors.js'
import { renderError } from '../../http/envelopes.js'
import { MINT_PATH, type Driver, type Scenario, type TokenCall } from '../driver.js'
import type { FaultSpec } from '../../state/faults.js'
import { failingAnswer } from './whop-failures.js'

/** One call of the token route by `who`, on a fresh mock that answers normally. */
const tokenCall = (who: TokenCall['who'], key: string, phase: number): Scenario<TokenCall> => ({
  key: `token-route:${key}`,
  phase,
  async run(driver) {
    await driver.freshMock()
    return driver.callTokenRoute(who)
  },
})

/** Nobody is signed in to the app. */
export const anonymousCaller = tokenCall('anonymous', 'anonymous', 10)

export interface UpstreamFailure {
  /** The status Whop answered the mint with. */
  status: number
  /** A string only Whop's error body carries: if the app's answer contains it, it passed Whop's body on. */
  canary: string
  call: TokenCall
}

/**
 * Whop answers every mint with `status` and its documented v1 error body (plus a canary in
 * the message); the signed-in caller asks the app for a token.
 * @see docs/whop-reference.md §2.1 error table [D S3], §6 items 13-15
 */
export function upstreamFailure(status: number): Scenario<UpstreamFailure> {
  return {
    key: `token-route:upstream-${status}`,
    phase: 20,
    async run(driver: Driver) {
      await driver.freshMock()
      const canary = `ref ${randomBytes(6).toString('hex')}`
      const documented = renderError(problemForStatus(status), 'v1')
      const body = documented.body as { error: { message: string } }
      body.error.message = `${body.error.message} (${canary})`
      // Enough shots for any bounded retry policy: every attempt meets the same failure.
      await driver.mock.addFault({ method: 'POST', path: MINT_PATH, status, body, headers: documented.headers, times: 50 })
      const call = await driver.callTokenRoute('caller')
      await driver.mock.clearFaults()
      return { status, canary, call }
    },
  }
}

/** The same story for several statuses, one after another. */
export function upstreamFailures(statuses: number[]): Scenario<UpstreamFailure[]> {
  return {
    key: `token-route:upstream-${statuses.join(',')}`,
    phase: 20,
    async run(driver) {
      const out: UpstreamFailure[] = []
      for (const status of statuses) out.push(await driver.observe(upstreamFailure(status)))
      return out
    },
  }
}

/** The signed-in caller asks for a token and Whop answers normally. */
export const signedInCaller = tokenCall('caller', 'signed-in', 30)

export interface ExpiryStory {
  first: TokenCall
  /** Asked once the mock clock is one second past the first token's `exp`. */
  second: TokenCall
}

/**
 * The caller gets a token, the mock clock moves past its expiry, the caller asks again.
 * It starts an hour further back than the other scenarios, so the second token too has
 * expired by the machine clock: an app that caches until expiry keeps nothing for a later run.
 */
export const callerAfterExpiry: Scenario<ExpiryStory> = {
  key: 'token-route:after-expiry',
  phase: 40,
  async run(driver) {
    await driver.freshMock(3600)
    const first = await driver.callTokenRoute('caller')
    const exp = first.check?.claims?.exp
    if (typeof exp === 'number') await driver.mock.advanceClock(exp + 1 - first.at.getTime() / 1000)
    const second = await driver.callTokenRoute('caller')
    return { first, second }
  },
}

export interface UpstreamOddity {
  /** A string only Whop's answer carries: if the app's answer contains it, it passed Whop's body on. */
  canary: string
  call: TokenCall
  /** Whether the app asked Whop at all: a stalled request it gave up on never reaches the journal. */
  reached: boolean
}

const SHOTS = 50

/** Whop answers every mint as `fault` says (a stall, a proxy's HTML page, a 2xx without a token); the caller asks the route. */
function upstreamAnswers(name: string, fault: (canary: string) => Omit<FaultSpec, 'path'>): Scenario<UpstreamOddity> {
  return {
    key: `token-route:upstream-${name}`,
    phase: 20,
    async run(driver) {
      await driver.freshMock()
      const canary = `whop-ref-${randomBytes(6).toString('hex')}`
      await driver.mock.addFault({ method: 'POST', path: MINT_PATH, ...fault(canary), times: SHOTS })
      const call = await driver.callTokenRoute('caller')
      const reached = (await driver.mock.faults()).every((f) => f.path !== MINT_PATH || f.remaining < SHOTS)
      await driver.mock.clearFaults()
      return { canary, call, reached }
    },
  }
}

/** Whop holds the mint past the bound the route must answer in. */
export const upstreamStall = upstreamAnswers('stall', (canary) => failingAnswer('stall', canary))
/** A proxy in front of Whop answers 502 with an HTML page. */
export const upstreamHtml502 = upstreamAnswers('html-502', (canary) => failingAnswer('html-502', canary))
/** Whop answers 200, but with no `token` in the body. */
export const upstreamWithoutToken = upstreamAnswers('2xx-without-token', (canary) => ({ status: 200, body: { ok: true, message: canary } }))
