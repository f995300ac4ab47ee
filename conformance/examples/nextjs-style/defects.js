/** Known defects, one switched on by DEFECT=<name>; the project's tests expect each caught by its cases. */
export const DEFECTS = {
  'no-state-check': "takes the callback's code without comparing state with the state cookie",
  'no-pkce': 'starts sign-in without a PKCE code challenge or a nonce',
  'id-token-only': "signs the browser in from the id_token's claims and never reads the user from Whop",
  'session-before-exchange': 'sets the session cookie as the callback arrives, before the code exchange succeeds',
  'token-in-url': 'sends the browser on to /?token=… with the access token in the URL',
  'no-whop-timeout': 'puts no deadline on its calls to Whop, so a stalled Whop keeps the browser waiting as long as fetch does (minutes)',
}

const chosen = process.env.DEFECT || null
if (chosen !== null && !Object.hasOwn(DEFECTS, chosen)) {
  console.error(`DEFECT=${chosen} is not one of: ${Object.keys(DEFECTS).join(', ')}`)
  process.exit(2)
}

/** Whether the named defect is switched on. */
export const has = (name) => {
  if (!Object.hasOwn(DEFECTS, name)) throw new Error(`unknown defect ${name}`)
  return chosen === name
}
