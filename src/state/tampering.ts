/**
 * Tampering: one-shot spoiling of the next id_token or userinfo answer for one client, so a test
 * can see whether the client checks what Whop sends it (OpenID Connect Core §3.1.3.7, §5.3.2).
 * Armed per tenant through `POST /_mock/tamper`, bounded, cleared by reset. This module holds the
 * table and what each kind does to the claims or to the signed token.
 */
import { randomBytes } from 'node:crypto'
import type { JWTPayload } from 'jose'
import { parameterInvalid } from '../errors.js'

export const TAMPER_TARGETS = ['id_token', 'userinfo'] as const
export type TamperTarget = (typeof TAMPER_TARGETS)[number]

/** What can be done to an id_token, and to a userinfo answer. */
export const ID_TOKEN_TAMPERINGS = ['wrong_nonce', 'other_aud', 'wrong_iss', 'expired', 'alg_none', 'bad_signature'] as const
export const USERINFO_TAMPERINGS = ['other_sub'] as const
export type IdTokenTampering = (typeof ID_TOKEN_TAMPERINGS)[number]
export type TamperKind = IdTokenTampering | (typeof USERINFO_TAMPERINGS)[number]

export interface TamperSpec {
  target: TamperTarget
  client_id: string
  kind: TamperKind
}

export interface Tampering extends TamperSpec {
  id: number
}

/** Tamperings armed at once per tenant; arming one more is refused. */
export const MAX_TAMPERINGS = 100

/** `iss` of a `wrong_iss` id_token: a name that can never be an issuer (RFC 6761 `.invalid`). */
export const WRONG_ISSUER = 'https://issuer.invalid'
/** Stand-ins when the fixtures hold no other app or user. */
export const FALLBACK_OTHER_APP = 'app_tamperedaudience'
export const FALLBACK_OTHER_USER = 'user_tamperedsubject'

export const isIdTokenTampering = (kind: TamperKind): kind is IdTokenTampering => ID_TOKEN_TAMPERINGS.some((k) => k === kind)

/** A kind that does not fit its target is a 400 MockError; returns the spec as kept. */
export function checkTamperSpec(spec: TamperSpec): TamperSpec {
  if (isIdTokenTampering(spec.kind) !== (spec.target === 'id_token'))
    throw parameterInvalid('kind', `${spec.kind} does not apply to ${spec.target}.`)
  return { target: spec.target, client_id: spec.client_id, kind: spec.kind }
}

/** The refusal when MAX_TAMPERINGS are armed. */
export const tamperingsFull = () =>
  parameterInvalid(null, `At most ${MAX_TAMPERINGS} tamperings can be armed at once; DELETE /_mock/tamper to start again.`)

/** The in-memory table of armed tamperings (the Redis store's is in redis/tampering.ts). */
export class TamperTable {
  #armed: Tampering[] = []
  #nextId = 1

  /** Arm a tampering; a kind that does not fit its target, or one past the bound, is a 400 MockError. */
  add(spec: TamperSpec): Tampering {
    const checked = checkTamperSpec(spec)
    if (this.#armed.length >= MAX_TAMPERINGS) throw tamperingsFull()
    const tampering: Tampering = { id: this.#nextId++, ...checked }
    this.#armed.push(tampering)
    return { ...tampering }
  }

  /** The oldest tampering armed for this target and client, used up; undefined when none. */
  take(target: TamperTarget, clientId: string): Tampering | undefined {
    if (this.#armed.length === 0) return undefined
    const index = this.#armed.findIndex((t) => t.target === target && t.client_id === clientId)
    return index < 0 ? undefined : this.#armed.splice(index, 1)[0]
  }

  list(): Tampering[] {
    return this.#armed.map((t) => ({ ...t }))
  }

  clear(): void {
    this.#armed = []
  }
}

/** What the signer is asked for: claims, times and audience, as signJwt takes them. */
export interface IdTokenDraft {
  claims: JWTPayload & { iss: string; sub: string }
  issuedAt: number
  expiresAt: number
  audience: string
}

/** The draft with the claims a kind spoils changed; `otherApp` is another app's id. */
export function spoilIdTokenDraft(kind: IdTokenTampering, draft: IdTokenDraft, otherApp: string): IdTokenDraft {
  switch (kind) {
    case 'wrong_nonce':
      return { ...draft, claims: { ...draft.claims, nonce: randomBytes(16).toString('base64url') } }
    case 'other_aud':
      return { ...draft, audience: otherApp }
    case 'wrong_iss':
      return { ...draft, claims: { ...draft.claims, iss: WRONG_ISSUER } }
    case 'expired':
      return { ...draft, issuedAt: draft.issuedAt - 7200, expiresAt: draft.issuedAt - 3600 }
    case 'alg_none':
    case 'bad_signature':
      return draft
  }
}

/** The signed token with its signature spoiled as the kind says (unchanged for claim tamperings). */
export function spoilSignedIdToken(kind: IdTokenTampering, jws: string): string {
  const [header = '', payload = '', signature = ''] = jws.split('.')
  if (kind === 'alg_none') return `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`
  if (kind !== 'bad_signature') return jws
  const bytes = Buffer.from(signature, 'base64url')
  for (let i = 0; i < bytes.length; i += 7) bytes[i] = (bytes[i] ?? 0) ^ 0x5a
  return `${header}.${payload}.${bytes.toString('base64url')}`
}

/** The journal's note on an answer a tampering spoiled. */
export const tamperNote = (tampering: Tampering): string => `tampered ${tampering.target}: ${tampering.kind}`
