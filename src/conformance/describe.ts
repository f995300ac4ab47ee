/**
 * Answers and cookies in words a person can act on: a redirect with its Location, an HTML page
 * by its title and visible text (never its <head>), and the cookies the app set, the browser
 * sent, and the ones it set but never got back (dropped by the browser's rules or replaced).
 */
import { maskSecretsIn } from '../redact.js'
import type { BrowserResponse, Hop } from './browser-types.js'

/** At most `max` characters of a text quoted in a report. */
export const clip = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}…` : text)

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' }
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_m, name: string) => ENTITIES[name] ?? '')
const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim()

/** The title and visible body text of an HTML page; null when the text is not HTML. */
export function visibleText(answer: Pick<BrowserResponse, 'headers' | 'body'>): { title: string; text: string } | null {
  const html = answer.body
  if (!/html/i.test(answer.headers['content-type'] ?? '') && !/^\s*<(!doctype|html|head|body)/i.test(html)) return null
  const title = squeeze(decode(/<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1] ?? ''))
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html.replace(/<head[\s\S]*?<\/head>/i, '')
  const text = squeeze(
    decode(
      body
        .replace(/<(script|style|template|noscript)[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<!--[\s\S]*?-->/g, ' ')
        .replace(/<[^>]+>/g, ' '),
    ),
  )
  return { title, text }
}

/** The body of an answer in one line: an HTML page's title and visible text, anything else as it is; clipped and masked. */
export function describeBody(answer: Pick<BrowserResponse, 'headers' | 'body'>): string {
  if (answer.body.trim() === '') return 'an empty body'
  const page = visibleText(answer)
  if (page === null) return clip(maskSecretsIn(squeeze(answer.body)))
  const title = page.title === '' ? 'an HTML page' : `an HTML page titled "${clip(maskSecretsIn(page.title), 80)}"`
  return page.text === '' ? `${title} with no visible text` : `${title}: ${clip(maskSecretsIn(page.text))}`
}

/** How the app answered, in one line: a redirect names where it sends the browser. */
export function describeAnswer(answer: BrowserResponse): string {
  if (answer.status === 0) return `gave no answer (${answer.error ?? 'no response'})`
  const location = answer.headers.location
  if (answer.status >= 300 && answer.status < 400 && location !== undefined)
    return `answered ${answer.status} after ${Math.round(answer.elapsedMs)} ms, sending the browser to ${clip(maskSecretsIn(location), 200)}`
  return `answered ${answer.status} after ${Math.round(answer.elapsedMs)} ms with ${describeBody(answer)}`
}

const cookieName = (header: string) => header.split(';')[0]!.split('=')[0]!.trim()
const attributes = (header: string) =>
  header
    .split(';')
    .slice(1)
    .map((a) => a.trim().split('=')[0]!)
    .filter((a) => /^(secure|samesite|domain|path|max-age|expires)$/i.test(a))
const deletes = (header: string) => /;\s*max-age=(0|-\d+)/i.test(header) || /;\s*expires=[^;]*19[0-9]{2}/i.test(header)

/** How a failure's text names the cookies of its story (describeCookies), so reports can show them apart. */
export const COOKIES_LABEL = '; cookies: '
export const NO_COOKIES = '; the app set and was sent no cookie'

/**
 * The cookies a sequence of hops turned on: what the app set (with which attributes), what the
 * browser sent, and what the app set but the browser never sent back on a later request.
 * Null when no cookie was set or sent.
 */
export function describeCookies(hops: Hop[]): string | null {
  const set = new Map<string, { header: string; at: number }>()
  const sentAfter = new Map<string, number>()
  hops.forEach((hop, i) => {
    for (const name of hop.cookiesSent) sentAfter.set(name, i)
    for (const header of hop.cookiesSet) set.set(cookieName(header), { header, at: i })
  })
  if (set.size === 0 && sentAfter.size === 0) return null
  const setList = [...set].map(([name, { header }]) => {
    const attrs = attributes(header)
    return attrs.length === 0 ? name : `${name} (${attrs.join(', ')})`
  })
  const dropped = [...set]
    .filter(([name, { header, at }]) => !deletes(header) && at < hops.length - 1 && (sentAfter.get(name) ?? -1) <= at)
    .map(([name]) => name)
  return [
    `set ${setList.join(', ') || 'none'}`,
    `sent ${[...sentAfter.keys()].join(', ') || 'none'}`,
    ...(dropped.length > 0 ? [`set but never sent back: ${dropped.join(', ')}`] : []),
  ].join('; ')
}
