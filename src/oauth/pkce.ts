/**
 * PKCE with S256 only: Whop's discovery lists no other method [T5].
 * @see RFC 7636 §4.1-4.6, docs/whop-reference.md §6 item 6
 */
import { createHash } from 'node:crypto'
import type { VerifierEvidence } from '../state/grant-operations.js'

/** A verifier is 43-128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1). */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/
/** An S256 challenge is base64url(SHA-256), 43 characters without padding. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/

export function isS256Challenge(value: string): boolean {
  return CHALLENGE.test(value)
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url')
}

/** What a token request's code_verifier amounts to; the grant store compares the hash with the code's challenge. */
export function verifierEvidence(verifier: string | undefined): VerifierEvidence {
  if (verifier === undefined) return { kind: 'absent' }
  return VERIFIER.test(verifier) ? { kind: 'hashed', s256: s256(verifier) } : { kind: 'malformed' }
}
