/**
 * The app's settings, checked at start-up: an app API key has the `apik_` shape, so a webhook
 * secret or an OAuth client id pasted by mistake stops the app with one line.
 * @see docs/whop-reference.md §5
 */
function required(name) {
  const value = process.env[name]
  if (value === undefined || value === '') {
    console.error(`${name} is not set`)
    process.exit(2)
  }
  return value
}

const apiKey = required('WHOP_API_KEY')
if (!apiKey.startsWith('apik_')) {
  console.error('WHOP_API_KEY must be an app API key (apik_…)')
  process.exit(2)
}

export const env = {
  apiKey,
  /** Whop's v1 API, e.g. https://api.whop.com/api/v1 (the mock's when run by the suite). */
  apiBase: process.env.WHOP_BASE_URL ?? 'https://api.whop.com/api/v1',
  companyId: required('WHOP_COMPANY_ID'),
  port: Number(process.env.PORT ?? 3300),
  host: process.env.HOST ?? '127.0.0.1',
}
