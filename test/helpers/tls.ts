/** HTTPS clients for tests: an undici agent that trusts one certificate, and a JSON GET through it. */
import type { Test } from 'tap'
import { Agent, request } from 'undici'

/** An undici agent that trusts exactly `ca`, closed at teardown. */
export function trusting(t: Test, ca: string): Agent {
  const agent = new Agent({ connect: { ca } })
  t.teardown(() => agent.close())
  return agent
}

export async function getJson(url: string, dispatcher: Agent): Promise<{ status: number; body: any }> {
  const res = await request(url, { dispatcher })
  return { status: res.statusCode, body: await res.body.json() }
}
