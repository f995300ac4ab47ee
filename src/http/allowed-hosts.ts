/**
 * Which `Host` names the mock serves, and whether its bind address reaches beyond this machine.
 * Defaults: loopback names, the bind address (every interface address for a wildcard bind) and
 * the public URL's host; `--allowed-hosts` adds names, and `*` among them serves any host.
 */
import { networkInterfaces } from 'node:os'

export interface GuardSettings {
  /** When set, every control call but health must present it. */
  controlToken: string | undefined
  /** Names served besides the defaults; `*` serves any. */
  allowedHosts: readonly string[]
  /** The bind address. */
  bindHost: string
  /** The URL the mock advertises (known once it listens). */
  publicUrl: () => string
}

const WILDCARDS = new Set(['0.0.0.0', '::', ''])

/** The name in a `Host` header or URL host: lower case, no port, no IPv6 brackets. */
export function hostnameOf(host: string): string {
  const lower = host.trim().toLowerCase()
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(lower)
  if (bracketed !== null) return bracketed[1] ?? ''
  return lower.split(':').length === 2 ? (lower.split(':')[0] ?? '') : lower
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address.toLowerCase()))
}

/** The fixed part of the allowed set ('*' for any); loopback names and the public URL's host are checked beside it. */
export function allowedHostsOf(settings: GuardSettings): '*' | ReadonlySet<string> {
  if (settings.allowedHosts.includes('*')) return '*'
  const bind = hostnameOf(settings.bindHost)
  return new Set([...settings.allowedHosts.map(hostnameOf), ...(WILDCARDS.has(bind) ? interfaceAddresses() : [bind])])
}

/** Whether a request addressed to `host` is served. */
export function hostAllowed(allowed: '*' | ReadonlySet<string>, host: string, publicUrl: string): boolean {
  // No Host at all (HTTP/1.0) is no browser's request, so no rebinding either.
  if (allowed === '*' || host === '' || isLoopback(host) || allowed.has(host)) return true
  return publicUrl !== '' && URL.canParse(publicUrl) && hostnameOf(new URL(publicUrl).host) === host
}

/** One line for the banner and the log when the control API is open beyond this machine, else null. */
export function exposureWarning(bindHost: string, controlToken: string | undefined): string | null {
  if (controlToken !== undefined || isLoopback(hostnameOf(bindHost))) return null
  return (
    'WARNING: the mock listens beyond loopback without a control token: anyone who reaches it can read fixture secrets, ' +
    'mint tokens, reset state and arm faults through /_mock/; set --control-token (WHOP_MOCK_CONTROL_TOKEN)'
  )
}

/** One line when the proxy listens beyond loopback, else null. */
export function proxyExposureWarning(host: string): string | null {
  if (isLoopback(hostnameOf(host))) return null
  return (
    'WARNING: the proxy listens beyond loopback: anyone who reaches it is answered by the mock for Whop hosts' +
    ' (and, with --proxy-passthrough, can reach any host through this machine); bind --proxy-host 127.0.0.1 unless you need it'
  )
}
