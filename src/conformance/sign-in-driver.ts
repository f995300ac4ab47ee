/**
 * Driving sign-in with Whop the way a person's browser does: the app's start route, the mock's
 * real sign-in page (its form, CSRF cookie and all, so no auto-approve is needed and Deny is
 * the real one), the redirect back to the app's callback, and the app's profile route, which
 * says whether the browser is signed in. Each step is separate so a story can stop between
 * them: tamper with the callback, or move the mock clock before following it.
 * @see docs/whop-reference.md §2.2 Authorize, §2.3, §6 items 4, 28, 29
 */
import { maskSecret } from '../redact.js'
import type { JournalEntry } from '../state/journal.js'
import { redirectTarget, type ConformanceBrowser as Browser, type BrowserResponse } from './browser-types.js'
import { ANSWER_BOUND_MS, type Driver } from './driver.js'
import { requestBody } from './judge.js'
import { SetupError } from '../errors/startup.js'
import { CSRF_PLACEHOLDER, fillIn, type SignedInRule } from './config-shapes.js'
import { leadsToMock } from './whop-urls.js'

export interface StartAnswer {
  /** The app's answer to the start, redirects within the app followed. */
  answer: BrowserResponse
  /** Where the app sent the browser, when it sent it to the mock; null otherwise. */
  authorize: URL | null
}

export interface Callback {
  /** Where the mock sent the browser back to (the callback with `code` and `state`, or `error`); null if it did not. */
  url: URL | null
  code: string | null
  /** Why there is no callback: the start or the mock's page went elsewhere. */
  problem: string | null
}

export interface ProfileCheck {
  /** The answer to GET profilePath, no redirect followed. */
  answer: BrowserResponse
  /** The answer means signed in, by the config's signedIn rule (default: any 2xx). */
  signedIn: boolean
  /** The answer carries the configured Whop user's id. */
  namesUser: boolean
  /** GETs of Whop's user endpoints the app made while answering. */
  reads: JournalEntry[]
  /** refresh_token grants the app sent while answering. */
  refreshes: JournalEntry[]
}

/**
 * GET a URL of the app as a browser would, following redirects only while they stay in the app
 * (its aliases included). `initiator`: the page the browser came from, when not the app's own.
 */
export function visit(driver: Driver, browser: Browser, url: URL | string, initiator?: URL): Promise<BrowserResponse> {
  return browser.request('GET', new URL(url, driver.app.baseUrl), {
    follow: (next) => driver.inApp(next),
    timeoutMs: ANSWER_BOUND_MS,
    ...(initiator !== undefined && { initiator }),
  })
}

/** The CSRF token a start recipe needs: a GET of its route, the token read from its JSON answer. */
async function csrfToken(driver: Driver, browser: Browser, csrf: { path: string; jsonField: string }): Promise<string> {
  const answer = await visit(driver, browser, csrf.path)
  let found: unknown
  try {
    found = (JSON.parse(answer.body) as Record<string, unknown>)[csrf.jsonField]
  } catch {
    found = undefined
  }
  return typeof found === 'string' ? found : ''
}

/**
 * The app's start: a GET of startPath, or its recipe (a CSRF token, then a POST); the browser
 * stops before it leaves the app. `params` go in the start's query (GET) or form (POST).
 */
export async function startSignIn(driver: Driver, browser: Browser, params: Record<string, string> = {}): Promise<StartAnswer> {
  const { startPath, start } = driver.oauth
  let answer: BrowserResponse
  // A start page that signs in by script: the control the person presses, which only a browser running scripts can press.
  const press = start.press === undefined ? {} : { press: start.press }
  if (start.method === 'GET') {
    const url = new URL(startPath, driver.app.baseUrl)
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
    answer = await browser.request('GET', url, { follow: (next) => driver.inApp(next), timeoutMs: ANSWER_BOUND_MS, ...press })
  } else {
    const token = start.csrf === null ? '' : await csrfToken(driver, browser, start.csrf)
    const form = new URLSearchParams({ ...fillIn(start.form, CSRF_PLACEHOLDER, token), ...params })
    answer = await browser.request('POST', new URL(startPath, driver.app.baseUrl), {
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(driver.app.baseUrl).origin },
      body: form.toString(),
      follow: (next) => driver.inApp(next),
      timeoutMs: ANSWER_BOUND_MS,
      ...press,
    })
  }
  const location = redirectTarget(answer)
  return { answer, authorize: location !== null && leadsToMock(location, driver.oauth.mockUrl) ? location : null }
}

const unescape = (text: string) =>
  text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

/** The value of an attribute in one HTML tag. */
const attribute = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)
  return match === null ? null : unescape(match[1]!)
}

/** The sign-in form's action and hidden fields. */
function readForm(html: string, pageUrl: string): { action: URL; fields: Record<string, string> } | null {
  const form = /<form\b[^>]*>/.exec(html)?.[0]
  if (form === undefined) return null
  const fields: Record<string, string> = {}
  for (const [tag] of html.matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(tag, 'name')
    if (attribute(tag, 'type') === 'hidden' && name !== null) fields[name] = attribute(tag, 'value') ?? ''
  }
  return { action: new URL(attribute(form, 'action') ?? '', pageUrl), fields }
}

const alertText = (html: string) =>
  unescape(
    /<p role="alert">([^<]*)<\/p>/.exec(html)?.[1] ??
      html
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 200),
  )

/** The redirect a mock answer sends the browser to, or a problem. */
function redirectBack(answer: BrowserResponse, what: string): Callback {
  const url = redirectTarget(answer)
  if (url !== null) {
    return { url, code: url.searchParams.get('code'), problem: null }
  }
  return {
    url: null,
    code: null,
    problem: `${what} answered ${answer.status}${answer.status === 0 ? ` (${answer.error})` : `: ${alertText(answer.body)}`}`,
  }
}

/**
 * The mock's authorize step, as the configured user: its sign-in page is filled in and Approve
 * (or Deny) pressed; a remembered consent sends the browser straight back. Stops before the
 * browser returns to the app.
 */
export async function passAuthorize(driver: Driver, browser: Browser, authorize: URL, decision: 'approve' | 'deny'): Promise<Callback> {
  const { clientId, redirectUri, userId } = driver.oauth
  // The browser arrives from the app's start, a cross-site navigation.
  const page = await browser.request('GET', authorize, { follow: false, timeoutMs: ANSWER_BOUND_MS, initiator: driver.app.baseUrl })
  if (
    page.status === 400 &&
    authorize.searchParams.get('client_id') === clientId &&
    authorize.searchParams.get('redirect_uri') === redirectUri
  ) {
    // The app asked correctly, so the mock's fixtures are what is wrong; no case can judge past this.
    throw new SetupError(
      `the mock at ${driver.oauth.mockUrl} refuses redirect_uri ${redirectUri} for ${clientId} ("${alertText(page.body)}"); register it in the apps[].redirect_uris of the fixtures that mock was started with`,
    )
  }
  if (page.status !== 200) return redirectBack(page, `the mock's authorize page (${authorize.pathname})`)
  const form = readForm(page.body, page.url)
  if (form === null) return { url: null, code: null, problem: 'the mock answered its authorize page without a sign-in form' }
  const body = new URLSearchParams({ ...form.fields, user_id: userId, decision })
  const answer = await browser.request('POST', form.action, {
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: form.action.origin },
    body: body.toString(),
    follow: false,
    timeoutMs: ANSWER_BOUND_MS,
  })
  return redirectBack(answer, "the mock's sign-in form")
}

/** GET profilePath: whether the app treats the browser as signed in, and what it asked Whop for. */
export async function checkProfile(driver: Driver, browser: Browser): Promise<ProfileCheck> {
  const mark = await driver.journalMark()
  const answer = await browser.request('GET', new URL(driver.oauth.profilePath, driver.app.baseUrl), {
    follow: false,
    timeoutMs: ANSWER_BOUND_MS,
  })
  const sent = await driver.journalSince(mark)
  const signedIn = looksSignedIn(driver.oauth.signedIn, answer, await browser.cookieNames(new URL(answer.url)))
  return {
    answer,
    signedIn,
    namesUser: signedIn && answer.body.includes(driver.oauth.userId),
    reads: userReads(driver, sent),
    refreshes: sent.filter((e) => grantType(e) === 'refresh_token'),
  }
}

/** The GETs of Whop's user endpoints among journal entries. */
export const userReads = (driver: Driver, entries: JournalEntry[]): JournalEntry[] =>
  entries.filter((e) => e.method === 'GET' && driver.oauth.paths.userReads.includes(e.path))

/** Whether profilePath's answer means signed in, by the config's rule (default: any 2xx). */
export function looksSignedIn(rule: SignedInRule, answer: BrowserResponse, cookieNames: string[]): boolean {
  const status = rule.status === null ? answer.status >= 200 && answer.status < 300 : rule.status.includes(answer.status)
  return (
    status &&
    (rule.bodyIncludes === null || answer.body.includes(rule.bodyIncludes)) &&
    (rule.bodyExcludes === null || !answer.body.includes(rule.bodyExcludes)) &&
    (rule.cookie === null || cookieNames.includes(rule.cookie))
  )
}

const grantType = (entry: JournalEntry): unknown => requestBody(entry).grant_type

/** Token requests that carried `code` (the journal keeps its 8-character prefix, enough to tell codes apart). */
export function exchangesOf(entries: JournalEntry[], code: string | null): JournalEntry[] {
  if (code === null) return []
  const masked = maskSecret(code)
  return entries.filter((e) => e.method === 'POST' && requestBody(e).code === masked)
}
