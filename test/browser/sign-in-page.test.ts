/**
 * The sign-in and consent page in a real browser: it shows the app and the scopes, a person
 * picks or types a user and approves or denies, and the browser goes back to the client. Every
 * code is exchanged to prove it belongs to the user picked on the page.
 * Set SIGN_IN_PAGE_SCREENSHOT=/tmp/sign-in-page.png to keep a picture of the page.
 * @see docs/whop-reference.md §2.2 Authorize, §2.3
 */
import t from 'tap'
import { startMock } from '../helpers/start-mock.js'
import { confidentialApp, defaults, jane, maria, publicApp, sam, tom } from '../helpers/fixtures.js'
import { pkce, random22 } from '../helpers/oauth.js'
import { CLIENT_ORIGIN, CLIENT_PAGE_TITLE, launchChromium, newSession, openSignIn } from '../helpers/browser.js'
import { choiceName, signInUrl, userOfCode, userOfLegacyCode } from '../helpers/sign-in.js'
import { SCOPE_DESCRIPTIONS } from '../../src/oauth/scopes.js'

const browser = await launchChromium(t)

t.test('the page shows the app, each requested scope with its description, and the fixture users', async (t) => {
  const mock = await startMock(t)
  const scopes = ['openid', 'profile', 'email', 'chat:read']
  const { page, response } = await openSignIn(t, browser, mock.url, { authorize: { scope: scopes.join(' ') } })
  t.equal(response?.status(), 200)
  t.equal(await page.locator('#app-name').textContent(), publicApp.name)
  t.same(
    await page.locator('#scopes li').allTextContents(),
    scopes.map((s) => `${s}: ${SCOPE_DESCRIPTIONS[s]}`),
  )
  for (const user of defaults.users) {
    const choice = page.getByRole('radio', { name: choiceName(user) })
    t.equal(await choice.count(), 1, `${user.username} can be chosen by name`)
    t.equal(await choice.getAttribute('value'), user.id)
  }
  t.equal(await page.getByRole('textbox', { name: /username/i }).count(), 1, 'a username can be typed')
  t.equal(await page.getByRole('button', { name: 'Approve' }).count(), 1)
  t.equal(await page.getByRole('button', { name: 'Deny' }).count(), 1)
  if (process.env.SIGN_IN_PAGE_SCREENSHOT) await page.screenshot({ path: process.env.SIGN_IN_PAGE_SCREENSHOT, fullPage: true })
})

t.test('choosing a user and approving returns a code and the same state; the code is that user’s', async (t) => {
  const mock = await startMock(t)
  const signIn = await openSignIn(t, browser, mock.url)
  const back = await signIn.approveAs(t, sam)
  t.equal(`${back.origin}${back.pathname}`, publicApp.redirect_uris[0])
  t.equal(back.searchParams.get('error'), null)
  t.not(await signIn.page.title(), CLIENT_PAGE_TITLE, 'scripts run in this browser')
})

t.test('a typed username signs in as that user', async (t) => {
  const mock = await startMock(t)
  const { page, atClient, pkce: p } = await openSignIn(t, browser, mock.url)
  await page.getByRole('textbox', { name: /username/i }).fill(maria.username)
  await page.getByRole('button', { name: 'Approve' }).click()
  const back = await atClient()
  t.equal(await userOfCode(mock.url, back.searchParams.get('code')!, p.verifier), maria.username)
})

t.test('an unknown username shows the page again with an error (400), and approving then works', async (t) => {
  const mock = await startMock(t)
  const signIn = await openSignIn(t, browser, mock.url)
  const { page, clientArrivals } = signIn
  await page.getByRole('textbox', { name: /username/i }).fill('nobody')
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/oauth/authorize'),
    page.getByRole('button', { name: 'Approve' }).click(),
  ])
  t.equal(answer.status(), 400)
  t.equal(await page.getByRole('alert').textContent(), 'No user is called nobody.')
  t.equal(await page.locator('#app-name').textContent(), publicApp.name, 'the same sign-in page')
  t.same(clientArrivals, [], 'still on the page, not at the client')
  await signIn.approveAs(t, tom)
})

t.test('denying returns error=access_denied with an error_description and the state, and no code', async (t) => {
  const mock = await startMock(t)
  const { page, atClient, state } = await openSignIn(t, browser, mock.url)
  await page.getByRole('button', { name: 'Deny' }).click()
  const back = await atClient()
  t.same(Object.fromEntries(back.searchParams), { error: 'access_denied', error_description: 'The user denied the request.', state })
})

t.test('the page works with JavaScript disabled: approving still returns a code', async (t) => {
  const mock = await startMock(t)
  const signIn = await openSignIn(t, browser, mock.url, { context: { javaScriptEnabled: false } })
  await signIn.approveAs(t, jane)
  t.equal(await signIn.page.title(), CLIENT_PAGE_TITLE, 'no script ran in this browser')
})

t.test('the legacy page approves and returns a code with scope=read_user and the state', async (t) => {
  const mock = await startMock(t)
  const { page, atClient } = await newSession(t, browser)
  const state = random22()
  const redirectUri = confidentialApp.redirect_uris[0]!
  const query = new URLSearchParams({
    client_id: confidentialApp.id,
    response_type: 'code',
    scope: 'read_user',
    state,
    redirect_uri: redirectUri,
  })
  await page.goto(`${mock.url}/oauth/?${query}`)
  t.equal(await page.locator('#app-name').textContent(), confidentialApp.name)
  t.match(await page.locator('#scopes').textContent(), /read_user/)
  await page.getByRole('radio', { name: choiceName(sam) }).check()
  await page.getByRole('button', { name: 'Approve' }).click()
  const back = await atClient()
  t.equal(`${back.origin}${back.pathname}`, redirectUri)
  t.match(Object.fromEntries(back.searchParams), { code: /./, scope: 'read_user', state })
  t.equal(await userOfLegacyCode(mock.url, back.searchParams.get('code')!, redirectUri), sam.username)
})

t.test('a second sign-in for the same app and scopes goes straight back; prompt=consent shows the page again', async (t) => {
  const mock = await startMock(t)
  const first = await openSignIn(t, browser, mock.url)
  const { page, clientArrivals } = first
  await first.approveAs(t, maria)

  const p = pkce()
  const state = random22()
  const url = signInUrl(mock.url, { pkce: p, state })
  const direct = await page.goto(url)
  t.equal(new URL(page.url()).origin, CLIENT_ORIGIN, 'straight back at the client')
  t.equal(direct?.request().redirectedFrom()?.url(), url, 'redirected by the authorize request itself, no page shown')
  t.equal(clientArrivals.length, 2)
  const again = new URL(page.url())
  t.equal(again.searchParams.get('state'), state)
  t.equal(await userOfCode(mock.url, again.searchParams.get('code')!, p.verifier), maria.username, 'the session’s user')

  const consent = await page.goto(signInUrl(mock.url, { pkce: pkce(), state: random22(), extra: { prompt: 'consent' } }))
  t.equal(consent?.status(), 200)
  t.equal(await page.locator('#app-name').textContent(), publicApp.name, 'prompt=consent asks again')
  const moreScopes = await page.goto(signInUrl(mock.url, { pkce: pkce(), state: random22(), scope: 'openid profile email chat:read' }))
  t.equal(moreScopes?.status(), 200, 'other scopes ask again')
  t.equal(clientArrivals.length, 2)

  const other = await openSignIn(t, browser, mock.url)
  t.equal(other.response?.status(), 200)
  t.same(other.clientArrivals, [], 'another browser has no session: it is not sent to the client')
  t.equal(new URL(other.page.url()).origin, mock.url, 'it stays at the mock')
  t.equal(await other.page.locator('#app-name').textContent(), publicApp.name, 'and sees the sign-in page')
})
