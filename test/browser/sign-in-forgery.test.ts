/**
 * The sign-in form cannot be posted from anywhere but the sign-in page: a forged form on
 * another site gets 403 and the browser never reaches the client. Two checks stand guard: the
 * form's csrf token must equal the sign-in's SameSite=Strict cookie, and a browser's Origin
 * must be the mock's. `localhost` and `127.0.0.1` are different sites to a browser; two ports
 * of 127.0.0.1 are the same site but different origins.
 * @see docs/whop-reference.md §2.2 Authorize
 */
import t from 'tap'
import { startMock } from '../helpers/start-mock.js'
import { jane, sam } from '../helpers/fixtures.js'
import { call } from '../helpers/http.js'
import { pkce, random22 } from '../helpers/oauth.js'
import { launchChromium, openSignIn, serveOnePage, type BrowserSession } from '../helpers/browser.js'
import { signInUrl } from '../helpers/sign-in.js'
import type { Page } from 'playwright-core'

const browser = await launchChromium(t)

interface Stolen {
  transaction: string
  csrf: string
}

/** Another site's page with a button that posts an approval to the mock. */
function forgedForm(mockUrl: string, stolen: Stolen): string {
  const hidden = { ...stolen, decision: 'approve', user_id: sam.id }
  const fields = Object.entries(hidden).map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
  return `<!doctype html><title>Win a prize</title><form method="post" action="${mockUrl}/oauth/authorize">${fields.join('')}<button>Claim your prize</button></form>`
}

const hiddenValue = (page: Page, name: string) => page.locator(`input[type=hidden][name=${name}]`).inputValue()

/** Open the forged page in the victim's browser, press its button, and return the mock's answer. */
async function submitForgery(victim: BrowserSession, siteUrl: string) {
  const page = await victim.context.newPage()
  await page.goto(siteUrl)
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/oauth/authorize'),
    page.getByRole('button', { name: 'Claim your prize' }).click(),
  ])
  await page.waitForLoadState()
  return { status: answer.status(), text: await page.locator('body').innerText() }
}

t.test('a forged form on another site is refused with 403 and the browser never reaches the client', async (t) => {
  const mock = await startMock(t)
  const victim = await openSignIn(t, browser, mock.url)
  const stolen = { transaction: await hiddenValue(victim.page, 'transaction'), csrf: random22() }
  const site = await serveOnePage(t, forgedForm(mock.url, stolen))

  const answer = await submitForgery(victim, `http://localhost:${site.port}/`)
  t.equal(answer.status, 403)
  t.match(answer.text, /could not be verified/)
  t.same(victim.clientArrivals, [], 'no redirect to the client')
  await victim.approveAs(t, jane) // the victim's own page still approves: the forgery consumed nothing
})

t.test('a forged form that knows the csrf token is refused too: cross-site without the cookie, same-site by its Origin', async (t) => {
  const mock = await startMock(t)
  const victim = await openSignIn(t, browser, mock.url)
  const stolen = { transaction: await hiddenValue(victim.page, 'transaction'), csrf: await hiddenValue(victim.page, 'csrf') }
  const site = await serveOnePage(t, forgedForm(mock.url, stolen))

  const crossSite = await submitForgery(victim, `http://localhost:${site.port}/`)
  t.equal(crossSite.status, 403, 'cross-site: the SameSite=Strict cookie stays home')
  t.match(crossSite.text, /could not be verified/)
  const sameSite = await submitForgery(victim, `http://127.0.0.1:${site.port}/`)
  t.equal(sameSite.status, 403, 'same site, other origin: the cookie comes along, the Origin gives it away')
  t.match(sameSite.text, `The sign-in form was posted from http://127.0.0.1:${site.port}, not from this page.`)
  t.same(victim.clientArrivals, [], 'no redirect to the client')
  await victim.approveAs(t, jane) // the victim's own page still approves: the forgery consumed nothing
})

t.test('a POST for a live sign-in is refused with 403 without its cookie or with another csrf token', async (t) => {
  const mock = await startMock(t)
  const state = random22()
  const page = await call('GET', signInUrl(mock.url, { pkce: pkce(), state }))
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page.text)?.[1] ?? ''
  const form = { transaction: field('transaction'), csrf: field('csrf'), decision: 'approve', user_id: jane.id }
  const cookie = String(page.headers['set-cookie']).split(';')[0]!
  t.match(cookie, /^whop_mock_csrf_[\w-]{12}=/)

  const noCookie = await call('POST', `${mock.url}/oauth/authorize`, { form })
  t.equal(noCookie.status, 403, 'no cookie')
  t.match(noCookie.text, /could not be verified/)
  const otherToken = await call('POST', `${mock.url}/oauth/authorize`, { form: { ...form, csrf: random22() }, headers: { cookie } })
  t.equal(otherToken.status, 403, 'a csrf token that is not the cookie’s')

  const genuine = await call('POST', `${mock.url}/oauth/authorize`, { form, headers: { cookie } })
  t.equal(genuine.status, 302, 'with the cookie and its token the same POST is accepted')
  t.match(Object.fromEntries(new URL(String(genuine.headers.location)).searchParams), { code: /./, state })
})
