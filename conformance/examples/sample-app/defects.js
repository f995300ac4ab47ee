/**
 * The flawed variants of the sample app: the same app with one known defect switched on by
 * DEFECT=<name>. The project's tests run the conformance suite against each one and expect
 * exactly the cases its defect should trip to fail (test/conformance-variants.test.ts).
 */

export const DEFECTS = {
  'key-in-error': 'puts the API key in its error answers',
  'key-in-header': 'sends the API key back in an x-whop-api-key header with the token',
  'no-scoped-actions': 'mints without scoped_actions, so every token holds every permission of the key',
  'wrong-user': 'mints every token for the same user, whoever is signed in',
  'no-sign-in-check': 'mints for a default user when nobody is signed in, like the docs snippet with fixed ids',
  'cache-forever': "caches each user's token and never mints again",
  'retry-4xx': 'retries every failed mint twice, 4xx included',
  'forward-upstream-body': "answers a failed mint with Whop's status and Whop's error body",
  'sdk-default-retries': "keeps @whop/sdk's default retries, which wait out a 429's Retry-After (60 s) twice while the caller waits",
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
