/**
 * Mint a short-lived Whop access token for one user of the company: POST /api/v1/access_tokens
 * with the app API key as a Bearer credential, the chat's scoped actions named explicitly, and a
 * bound on how long the person waits.
 * @see docs/whop-reference.md §2.1
 */
import { has } from './defects.js'
import { env } from './env.js'

/** The chat and DM actions the embedded chat needs, never the key's whole set. */
const CHAT_ACTIONS = ['chat:message:create', 'chat:read', 'dms:read', 'dms:message:manage', 'dms:channel:manage']
const TIMEOUT_MS = 4000

export class MintError extends Error {
  constructor(status, body) {
    super(`Whop answered ${status}`)
    this.status = status
    this.body = body
  }
}

async function post(body) {
  const response = await fetch(`${env.apiBase}/access_tokens`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  })
  const text = await response.text()
  let json = null
  try {
    json = JSON.parse(text)
  } catch {
    // A non-JSON answer (an HTML error page) is an error like any other.
  }
  return { response, json }
}

/** The token for `userId`, or a MintError. */
export async function mintFor(userId) {
  const body = { company_id: env.companyId, user_id: userId, ...(!has('no-scoped-actions') && { scoped_actions: CHAT_ACTIONS }) }
  let { response, json } = await post(body)
  if (response.status === 429 && has('waits-retry-after')) {
    await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 60) * 1000))
    ;({ response, json } = await post(body))
  }
  if (!response.ok || typeof json?.token !== 'string') throw new MintError(response.status, json)
  return json.token
}
