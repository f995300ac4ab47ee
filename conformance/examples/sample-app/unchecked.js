/**
 * What defective variants do instead of openid-client's checks (./defects.js), kept apart so
 * ./sign-in.js reads as the correct app: a code exchange that believes any id_token
 * (DEFECT=trusts-id-token), and a user read that shows whatever Whop answered
 * (DEFECT=shows-whop-error), as hand-written snippets do.
 */

const timeoutMs = Number(process.env.WHOP_TIMEOUT_MS ?? 3000)

/** POST the code to Whop's token endpoint and read the id_token's claims without checking anything. */
export async function exchangeUnchecked(config, callbackUrl, pending, redirectUri) {
  const metadata = config.serverMetadata()
  const res = await fetch(metadata.token_endpoint, {
    method: 'POST',
    signal: AbortSignal.timeout(timeoutMs),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: callbackUrl.searchParams.get('code') ?? '',
      redirect_uri: redirectUri,
      client_id: process.env.WHOP_APP_ID,
      client_secret: process.env.WHOP_CLIENT_SECRET,
      code_verifier: pending.verifier,
    }),
  })
  if (!res.ok) throw Object.assign(new Error('the code exchange failed'), { status: res.status })
  const tokens = await res.json()
  const claims = JSON.parse(Buffer.from(String(tokens.id_token).split('.')[1] ?? '', 'base64url').toString('utf8'))
  return { ...tokens, claims: () => claims }
}

/** GET Whop's userinfo: its status and whatever body came back, error or not. */
export async function readUserUnchecked(config, accessToken) {
  const res = await fetch(config.serverMetadata().userinfo_endpoint, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { authorization: `Bearer ${accessToken}` },
  })
  const text = await res.text()
  try {
    return { status: res.status, body: JSON.parse(text) }
  } catch {
    return { status: res.status, body: { page: text } }
  }
}
