/** The checks of a code exchange after the code was found unspent, in the order they run. */
import { safeEqual } from '../crypto/safe-equal.js'
import type { CodeRecord, CodeRefusal, RedeemCodeRequest, VerifierEvidence } from './grant-operations.js'

export type { CodeRecord }

/** The PKCE check of a code bound to `challenge` (RFC 7636 §4.6). */
function pkceRefusal(challenge: string | null, evidence: VerifierEvidence | null): CodeRefusal | null {
  if (evidence === null || challenge === null) return null
  if (evidence.kind === 'absent') return 'verifier_missing'
  return evidence.kind === 'hashed' && safeEqual(evidence.s256, challenge) ? null : 'verifier_mismatch'
}

/** Every check of a code exchange after the code was found unspent, in order. */
export function bindingRefusal(record: CodeRecord, request: RedeemCodeRequest): CodeRefusal | null {
  if (record.expiresAtMs <= request.nowMs) return 'expired'
  if (record.flow !== request.flow) return 'wrong_flow'
  const redirectOk = request.redirectUri === record.redirectUri || (request.redirectUri === null && record.redirectUriGiven === false)
  if (!redirectOk) return 'redirect_mismatch'
  return pkceRefusal(record.codeChallenge, request.pkce)
}
