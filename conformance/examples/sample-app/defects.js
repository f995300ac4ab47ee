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
  'mints-for-nobody': 'answers 401 to every caller, signed in or not, so it never mints at all',
  'sdk-default-retries': "keeps @whop/sdk's default retries, which wait out a 429's Retry-After (60 s) twice while the caller waits",
  // Sign in with Whop (./sign-in.js)
  'no-state-check': "does not compare the callback's state with the one this browser started with",
  'static-state': 'sends the same state on every sign-in start',
  'code-exchanged-twice': 'exchanges each code twice (a callback that runs twice) and keeps the first tokens',
  'remembers-codes': 'remembers each code it exchanged, so a second visit to the same callback URL signs that browser in too',
  'signs-in-without-token':
    'marks the browser signed in when the callback arrives, before the code exchange succeeds, and keeps it so when the exchange fails',
  '5xx-on-access-denied': "treats Whop's error redirect (the person pressed Deny) as a crash and answers 500",
  'no-refresh': 'gives up on the first 401 instead of refreshing the access token',
  'reuses-old-refresh-token': 'keeps using the first refresh token instead of the rotated one',
  'secret-in-redirect': 'puts the client secret in the authorize URL',
  'sign-in-broken': 'exchanges the code and then starts no session, so nobody is ever signed in',
  'token-in-url': 'sends the browser to /welcome?access_token=… after sign-in',
  // Whop misbehaving during sign-in, and what Whop sends that the app must check
  'crashes-on-whop-error':
    'lets an error from Whop or a refused id_token during sign-in (discovery, the code exchange) crash the request (500)',
  'shows-whop-error':
    "shows whatever Whop's userinfo answered (but a 401) as the profile, its error pages included, as a guide's snippet does",
  'no-whop-timeout': "waits up to 30 s for Whop during sign-in and 60 s (@whop/sdk's default) at the token route",
  'trusts-id-token': "exchanges the code by hand and believes the id_token's claims without checking nonce, aud, iss, exp or alg",
  'trusts-userinfo-sub': "accepts a userinfo answer whose sub is not the id_token's",
  'retries-refused-refresh': 'tries a refused refresh token again and again, then answers 500',
  'state-reusable': "keeps a browser's state after its callback, so a second visit exchanges the code again",
  'open-redirect': "sends the browser wherever the start's next= parameter says after sign-in",
  'token-in-page': 'answers the callback with a page (no redirect, no Referrer-Policy) whose script holds the access token',
  'passes-empty-token': 'answers 200 when Whop answered a mint without a token',
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
