/** Known defects, one switched on by DEFECT=<name>; the project's tests expect each caught by its cases. */
export const DEFECTS = {
  'trusts-body-user': 'mints for the userId in the JSON body, signed in or not',
  'forwards-whop-error': "answers a failed mint with Whop's status and body",
  'key-in-error': 'names the API key in its error answer',
  'no-scoped-actions': 'mints without scoped_actions, so the token holds every permission of the key',
  'waits-retry-after': "waits out a 429's Retry-After (60 s) and tries again while the chat waits",
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
