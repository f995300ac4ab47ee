/**
 * The mock clock. Every expiry in the mock (token lifetimes, code lifetimes, JWT `iat`/`exp`)
 * reads this clock and nothing else, so tests move time instead of waiting it out.
 * It runs with the machine's clock, shifted by an offset the control API sets.
 */
/**
 * The times the mock clock may be moved to. Below: no time before the epoch (JWT claims count
 * seconds from it). Above: a year short of 10000, so every expiry the mock computes from the
 * clock (at most days ahead) is still a Date and still a four-digit-year ISO time.
 */
export const CLOCK_RANGE = { earliest: new Date(Date.UTC(1970, 0, 1)), latest: new Date(Date.UTC(9999, 0, 1)) } as const

/** Whether the clock may read `ms` (milliseconds since the epoch). */
export function withinClockRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= CLOCK_RANGE.earliest.getTime() && ms <= CLOCK_RANGE.latest.getTime()
}

export class MockClock {
  #offsetMs = 0

  /** Milliseconds since the epoch on the mock clock. */
  nowMs(): number {
    return Date.now() + this.#offsetMs
  }

  now(): Date {
    return new Date(this.nowMs())
  }

  /** Whole seconds since the epoch, as JWT claims count time. */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000)
  }

  get offsetSeconds(): number {
    return this.#offsetMs / 1000
  }

  advance(seconds: number): void {
    this.#offsetMs += Math.round(seconds * 1000)
  }

  /** Make the clock read `time` now; it keeps running from there. */
  set(time: Date): void {
    this.#offsetMs = time.getTime() - Date.now()
  }

  /** The offset in milliseconds, as state exports keep it. */
  get offsetMs(): number {
    return this.#offsetMs
  }

  set offsetMs(ms: number) {
    this.#offsetMs = Math.round(ms)
  }

  reset(): void {
    this.#offsetMs = 0
  }
}

/** The machine's time, for what no mock clock may move: how long ago a tenant was created or used. */
export function realTimeMs(): number {
  return Date.now()
}
