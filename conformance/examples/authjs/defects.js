/** Known defects, one switched on by DEFECT=<name>; the project's tests expect each caught by its cases. */
export const DEFECTS = {
  'no-pkce': 'sets checks to ["state"] only: no PKCE and no nonce, which Whop requires',
  'id-token-only': "keeps Auth.js's default idToken: true, so the user comes from the id_token and Whop is never read",
  'default-error-page':
    'keeps Auth.js\'s built-in error page, which answers a tampered callback with 500 ("There is a problem with the server configuration")',
  'state-check-off': 'sets checks to ["pkce", "nonce"]: the callback is taken without comparing state',
  'no-whop-timeout': 'supplies no fetch with a deadline, so Auth.js waits on a stalled Whop as long as fetch does (minutes)',
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
