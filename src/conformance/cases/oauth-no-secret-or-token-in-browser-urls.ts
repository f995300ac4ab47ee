import { defineCase } from '../case.js'
import { normalSignIn } from '../controls.js'
import { fail, pass } from '../judge.js'
import { credentialIn, quoteUrl } from '../judge-oauth.js'
import { everyBrowserUrl } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-no-secret-or-token-in-browser-urls',
  description: 'No URL the browser requests or is redirected to carries the client secret, an API key, or a token Whop issued',
  source: 'API key: "keep it on your server only" [D S0, S1]; client secret and tokens out of URLs: RFC 6749 §2.3.1, §10.3, §10.4 [I]',
  part: 'oauth',
  scenario: everyBrowserUrl,
  control: normalSignIn,
  verdict: ({ urls, mockSignedTokens, maskedRefreshTokens }, { apiKey, oauth }) => {
    const secrets: [string, string][] = [
      [apiKey, 'API key'],
      ...oauth!.appApiKeys.map((k) => [k, 'app API key'] as [string, string]),
      ...mockSignedTokens.map((t) => [t, 'token Whop issued'] as [string, string]),
    ]
    if (oauth!.clientSecret !== null) secrets.push([oauth!.clientSecret, 'client secret'])
    const leak = urls
      .map(({ story, url }) => ({ story, url, found: credentialIn(url, secrets, maskedRefreshTokens) }))
      .find((u) => u.found !== null)
    if (leak === undefined) return pass
    return fail(
      'no credential in any URL the browser sees',
      `in the ${leak.story} story, the browser saw the ${leak.found} in ${quoteUrl(leak.url, maskedRefreshTokens)}`,
    )
  },
})
