/**
 * Injected faults: the next matching requests fail with a chosen status, or stall.
 * Matching and consuming happen together, so two concurrent requests never share one shot.
 */
export interface FaultSpec {
  method?: string | undefined
  path: string
  status?: number | undefined
  body?: unknown
  headers?: Record<string, string> | undefined
  delay_ms?: number | undefined
  times?: number | undefined
}

export interface Fault {
  id: number
  method: string | null
  path: string
  status: number | null
  body?: unknown
  headers: Record<string, string>
  delay_ms: number
  remaining: number
}

export class FaultTable {
  #faults: Fault[] = []
  #nextId = 1

  add(spec: FaultSpec): Fault {
    const fault: Fault = {
      id: this.#nextId++,
      method: spec.method?.toUpperCase() ?? null,
      path: spec.path,
      status: spec.status ?? null,
      headers: spec.headers ?? {},
      delay_ms: spec.delay_ms ?? 0,
      remaining: spec.times ?? 1,
    }
    if (spec.body !== undefined) fault.body = spec.body
    this.#faults.push(fault)
    return fault
  }

  /** The first armed fault for this request, with one shot used up; undefined when none. */
  take(method: string, path: string): Fault | undefined {
    if (this.#faults.length === 0) return undefined
    const index = this.#faults.findIndex((f) => f.path === path && (f.method === null || f.method === method))
    if (index < 0) return undefined
    const fault = this.#faults[index]!
    fault.remaining--
    if (fault.remaining === 0) this.#faults.splice(index, 1)
    return fault
  }

  list(): Fault[] {
    return this.#faults.map((f) => ({ ...f }))
  }

  clear(): void {
    this.#faults = []
  }
}
