/** Small HTTP helpers over undici for talking to the mock like any client would. */
import { request } from 'undici'

export interface JsonResponse<T = any> {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: T
  text: string
}

export async function call<T = any>(
  method: string,
  url: string,
  options: { headers?: Record<string, string>; json?: unknown; body?: string; form?: Record<string, string>; timeoutMs?: number } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers }
  let body: string | undefined = options.body
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json'
    body = JSON.stringify(options.json)
  }
  if (options.form !== undefined) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded'
    body = new URLSearchParams(options.form).toString()
  }
  const signal = options.timeoutMs === undefined ? null : AbortSignal.timeout(options.timeoutMs)
  const response = await request(url, { method: method as 'GET', headers, body, signal })
  const text = await response.body.text()
  let parsed: unknown = text
  if (String(response.headers['content-type'] ?? '').includes('json') && text !== '') parsed = JSON.parse(text)
  return { status: response.statusCode, headers: response.headers, body: parsed as T, text }
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
