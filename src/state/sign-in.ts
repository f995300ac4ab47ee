/**
 * Sign-in state behind the authorize pages: pending sign-ins (the page's form posts back to one),
 * browser sessions, and the consents a session has given — Whop skips the consent screen when
 * the user already approved these scopes for this app [D D-OAUTH].
 */
import { IssuedSecrets } from './issued-secrets.js'
import { dropOldestAt } from './bounded.js'
import type { Flow } from './grants.js'
import type { MockClock } from './clock.js'

/** Mock choice: a sign-in page is good for 10 minutes. */
export const SIGN_IN_TTL_MS = 10 * 60_000
/** Mock choice: a browser session lasts a day of mock time. */
export const SESSION_TTL_MS = 24 * 3600_000
/** Mock limit: the newest sign-ins and sessions kept (see STORE_CAPACITY in grants.ts). */
const CAPACITY = 5000

/** An authorize request that passed every check and waits for the person's decision. */
export interface AuthorizeRequest {
  flow: Flow
  clientId: string
  redirectUri: string
  /** False when the legacy page defaulted redirect_uri to the app's first registered one. */
  redirectUriGiven: boolean
  /** The scope string as requested (legacy pages echo it), and whether one was given. */
  scope: string
  scopeGiven: boolean
  state: string | null
  nonce: string | null
  codeChallenge: string | null
  companyId: string | null
  /** A fixture user named by login_hint, preselected on the page. */
  hintedUserId: string | null
  /** Who the session cookie says is signed in, preselected on the page when no hint names anyone. */
  signedInUserId: string | null
}

export interface PendingSignIn {
  id: string
  csrf: string
  request: AuthorizeRequest
  expiresAtMs: number
}

/** A browser session as plain data. */
export interface SessionRecord {
  id: string
  userId: string
  consents: string[]
  expiresAtMs: number
}

interface Session {
  userId: string
  consents: Set<string>
  expiresAtMs: number
}

export const consentKey = (clientId: string, scopes: readonly string[]) => `${clientId} ${[...scopes].sort().join(' ')}`

export class SignInStore {
  readonly #pending = new Map<string, PendingSignIn>()
  readonly #sessions = new Map<string, Session>()

  constructor(
    private readonly clock: MockClock,
    private readonly secrets = new IssuedSecrets(),
  ) {}

  begin(request: AuthorizeRequest): PendingSignIn {
    this.#sweep()
    const pending = { id: this.secrets.issue(18), csrf: this.secrets.issue(24), request, expiresAtMs: this.clock.nowMs() + SIGN_IN_TTL_MS }
    dropOldestAt(this.#pending, CAPACITY)
    this.#pending.set(pending.id, pending)
    return pending
  }

  /** A pending sign-in that has not expired; it stays until finish(), so the page can be shown again. */
  pending(id: string): PendingSignIn | undefined {
    const pending = this.#pending.get(id)
    return pending !== undefined && pending.expiresAtMs > this.clock.nowMs() ? pending : undefined
  }

  finish(id: string): void {
    this.#pending.delete(id)
  }

  /** Start (or extend) a session for a user who approved, remembering the consent. */
  approve(sessionId: string | undefined, userId: string, clientId: string, scopes: readonly string[]): string {
    const existing = sessionId === undefined ? undefined : this.#sessions.get(sessionId)
    const kept = existing?.userId === userId && sessionId !== undefined ? { id: sessionId, session: existing } : null
    const id = kept?.id ?? this.secrets.issue(24)
    const session = kept?.session ?? { userId, consents: new Set<string>(), expiresAtMs: 0 }
    session.consents.add(consentKey(clientId, scopes))
    session.expiresAtMs = this.clock.nowMs() + SESSION_TTL_MS
    if (kept === null) dropOldestAt(this.#sessions, CAPACITY)
    this.#sessions.set(id, session)
    return id
  }

  /** The user of a live session, whatever they have consented to. */
  signedInUser(sessionId: string | undefined): string | null {
    return this.#liveSession(sessionId)?.userId ?? null
  }

  /** The user of a live session that already consented to exactly these scopes for this client. */
  consentedUser(sessionId: string | undefined, clientId: string, scopes: readonly string[]): string | null {
    const session = this.#liveSession(sessionId)
    return session?.consents.has(consentKey(clientId, scopes)) ? session.userId : null
  }

  #liveSession(sessionId: string | undefined): Session | undefined {
    const session = sessionId === undefined ? undefined : this.#sessions.get(sessionId)
    return session === undefined || session.expiresAtMs <= this.clock.nowMs() ? undefined : session
  }

  size(): { pending: number; sessions: number } {
    return { pending: this.#pending.size, sessions: this.#sessions.size }
  }

  clear(): void {
    this.#pending.clear()
    this.#sessions.clear()
  }

  /** The browser sessions as plain data, for export (pending sign-ins are not kept). */
  sessions(): SessionRecord[] {
    return [...this.#sessions].map(([id, s]) => ({ id, userId: s.userId, consents: [...s.consents], expiresAtMs: s.expiresAtMs }))
  }

  /** Replace every session and pending sign-in with these sessions. */
  restoreSessions(records: readonly SessionRecord[]): void {
    this.clear()
    for (const r of records) {
      this.#sessions.set(r.id, { userId: r.userId, consents: new Set(r.consents), expiresAtMs: r.expiresAtMs })
      this.secrets.remember(r.id)
    }
  }

  #sweep(): void {
    const now = this.clock.nowMs()
    for (const [id, p] of this.#pending) if (p.expiresAtMs <= now) this.#pending.delete(id)
    for (const [id, s] of this.#sessions) if (s.expiresAtMs <= now) this.#sessions.delete(id)
  }
}
