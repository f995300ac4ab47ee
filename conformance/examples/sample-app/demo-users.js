/**
 * The sample app's own users and how a request signs in: a `demo_user` cookie or an
 * `x-demo-user` header naming one of them. A real app has real sessions; what matters here is
 * that each of its users maps to a Whop user and company, as the docs ask [D S0].
 */

/** App user → the Whop user it was synced to and the company its chat lives in (the mock's fixtures). */
export const DEMO_USERS = {
  jane: { userId: 'user_J2isAjIhKtJ0R', companyId: 'biz_u8jzPde0IgxLd6' },
  sam: { userId: 'user_lgLKOmxgJTeKd', companyId: 'biz_u8jzPde0IgxLd6' },
}

/** A cookie of the request, decoded, or undefined. */
export function cookie(req, name) {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) return decodeURIComponent(value.join('='))
  }
  return undefined
}

/** The signed-in user ({ name, userId, companyId }), or null. */
export function signedInUser(req) {
  const name = cookie(req, 'demo_user') ?? req.headers['x-demo-user']
  return typeof name === 'string' && Object.hasOwn(DEMO_USERS, name) ? { name, ...DEMO_USERS[name] } : null
}
