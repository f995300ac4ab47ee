/**
 * Failures a person can act on: a redirect shows its Location, an HTML answer its title and
 * visible text rather than its <head>, and a sign-in failure the cookies set, sent and dropped.
 */
import t from 'tap'
import type { BrowserResponse, Hop } from '../src/conformance/browser.js'
import { describeAnswer, describeCookies, visibleText } from '../src/conformance/describe.js'

function answer(status: number, body: string, headers: Record<string, string> = {}): BrowserResponse {
  return {
    method: 'GET',
    url: 'http://127.0.0.1:3100/x',
    status,
    headers,
    setCookies: [],
    body,
    hops: [],
    elapsedMs: 3,
    timedOut: false,
    error: null,
  }
}
const hop = (url: string, cookiesSent: string[], cookiesSet: string[] = []): Hop => ({
  method: 'GET',
  url,
  status: 200,
  location: null,
  cookiesSent,
  cookiesSet,
})

t.test('a redirect is described with its Location', async (t) => {
  t.equal(
    describeAnswer(answer(307, '', { location: 'http://localhost:3100/login?next=%2Fme' })),
    'answered 307 after 3 ms, sending the browser to http://localhost:3100/login?next=%2Fme',
  )
})

t.test("an HTML answer is quoted by its title and visible text, never its head's scripts and styles", async (t) => {
  const page =
    '<!DOCTYPE html><html><head><title>Sign in &amp; more</title><style>body{color:red}</style><script>var x = 1</script></head>' +
    '<body><nav>Home</nav><main><h1>Authentication Failed</h1><p>Your&nbsp;session ended.</p><script>track()</script></main></body></html>'
  t.same(visibleText(answer(200, page, { 'content-type': 'text/html; charset=utf-8' })), {
    title: 'Sign in & more',
    text: 'Home Authentication Failed Your session ended.',
  })
  t.equal(
    describeAnswer(answer(500, page, { 'content-type': 'text/html' })),
    'answered 500 after 3 ms with an HTML page titled "Sign in & more": Home Authentication Failed Your session ended.',
  )
  t.match(describeAnswer(answer(200, `<html><body>${'word '.repeat(100)}</body></html>`)), /: (word ){30,}[^]*…$/, 'long text is clipped')
  t.equal(
    describeAnswer(answer(401, '{"error":"Sign in first."}')),
    'answered 401 after 3 ms with {"error":"Sign in first."}',
    'JSON stays as it is',
  )
})

t.test('cookies: set (with attributes), sent, and set but never sent back', async (t) => {
  const hops = [
    hop('http://127.0.0.1:3100/auth/start', [], ['pending=1; Path=/; SameSite=Strict']),
    hop('http://127.0.0.1:3100/auth/callback', [], ['session=2; Path=/; Secure; Domain=example.com', 'old=; Max-Age=0']),
    hop('http://127.0.0.1:3100/me', []),
  ]
  t.equal(
    describeCookies(hops),
    'set pending (Path, SameSite), session (Path, Secure, Domain), old (Max-Age); sent none; set but never sent back: pending, session',
  )
  t.equal(describeCookies([hop('http://a/', ['sid'], ['sid=2']), hop('http://a/me', ['sid'])]), 'set sid; sent sid')
  t.equal(describeCookies([hop('http://a/', [])]), null)
})
