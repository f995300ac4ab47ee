/**
 * The real-browser mode's route rule on its own: a Chromium user of a run asked for Whop's
 * authorize URLs gets the run's mock's pages, and the mock's journal names the URL asked for.
 * @see docs/whop-reference.md §1 (hosts), §2.2, §2.3
 */
import t from 'tap'
import { launchChromium } from '../../src/conformance/chromium.js'
import { onMock } from '../../src/conformance/whop-urls.js'
import { ORIGINAL_URL_HEADER } from '../../src/state/journal.js'
import { startMockServer } from '../../src/index.js'
import { chromiumPath } from '../helpers/browser.js'
import { pkce, random22 } from '../helpers/oauth.js'
import { signInUrl } from '../helpers/sign-in.js'
import { confidentialApp } from '../helpers/fixtures.js'

t.test("https://api.whop.com/oauth/authorize and https://whop.com/oauth/ answer with the mock's sign-in page", async (t) => {
  const mock = await startMockServer({ port: 0 })
  t.teardown(() => mock.close())
  const browsers = await launchChromium(chromiumPath)
  t.teardown(() => browsers.close())
  const user = browsers.newBrowser({
    name: 'route-rule',
    clock: () => Date.now(),
    reroute: (url) => onMock(url, mock.url),
    originalUrlHeader: ORIGINAL_URL_HEADER,
  })
  const current = new URL(signInUrl(mock.url, { pkce: pkce(), state: random22() }))
  const legacy = new URLSearchParams({
    client_id: confidentialApp.id,
    response_type: 'code',
    scope: 'read_user',
    state: random22(),
    redirect_uri: confidentialApp.redirect_uris[0] ?? '',
  })
  const asked = [`https://api.whop.com/oauth/authorize${current.search}`, `https://whop.com/oauth/?${legacy}`]
  for (const url of asked) {
    const answer = await user.request('GET', url, { follow: false })
    t.equal(answer.status, 200, `${url} answered`)
    t.match(answer.body, /<form\b/, "the mock's sign-in form")
    t.equal(new URL(answer.url).origin, new URL(mock.url).origin, 'answered by the mock')
  }
  t.same(
    mock.journal().map((entry) => entry.original_url),
    asked,
    "the mock's journal keeps the URLs the browser asked for",
  )
})
