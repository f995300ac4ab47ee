// An app signing a user in the way @whop/api does: its fixed https://whop.com/oauth/ page, then
// exchangeCode at https://api.whop.com/api/oauth/token, then the v5 user read.
import { WhopServerSdk } from '@whop/api'

const { oauth } = WhopServerSdk({ appId: process.env.APP_ID, appApiKey: process.env.APP_SECRET })
const { url } = oauth.getAuthorizationUrl({ redirectUri: process.env.REDIRECT_URI })
const page = await fetch(`${url}&login_hint=${encodeURIComponent(process.env.LOGIN_HINT)}`, { redirect: 'manual' })
const code = new URL(page.headers.get('location')).searchParams.get('code')
const exchanged = await oauth.exchangeCode({ code, redirectUri: process.env.REDIRECT_URI })
const me = exchanged.ok
  ? await fetch('https://api.whop.com/api/v5/me', { headers: { authorization: `Bearer ${exchanged.tokens.access_token}` } })
  : null
process.stdout.write(
  JSON.stringify({ authorizeUrl: url, page: page.status, exchanged: exchanged.ok, me: me === null ? null : await me.json() }),
)
