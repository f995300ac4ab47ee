/**
 * fetch and undici: a global dispatcher that sends requests for Whop's hosts to the mock. It is
 * undici's own interceptor machinery (`Dispatcher.compose`), so Node's fetch, undici's `request`
 * and anything else on the global dispatcher are covered, and other hosts are untouched.
 */
import { getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici'
import { reroutedHeaders } from './headers.js'
import { reroutedUrl, type MockTarget } from './target.js'

/** The URL a dispatch is for, or null when its origin and path do not make one. */
function dispatchUrl(opts: Dispatcher.DispatchOptions): URL | null {
  if (opts.origin === undefined) return null
  try {
    return new URL(opts.path, opts.origin)
  } catch {
    return null
  }
}

/** An interceptor that rewrites the origin and path of dispatches to Whop's hosts. */
export function rerouteInterceptor(target: MockTarget): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    const url = dispatchUrl(opts)
    const rerouted = url === null ? null : reroutedUrl(target, url)
    if (url === null || rerouted === null) return dispatch(opts, handler)
    return dispatch(
      {
        ...opts,
        origin: rerouted.origin,
        path: `${rerouted.pathname}${rerouted.search}`,
        headers: reroutedHeaders(opts.headers, url.href),
      },
      handler,
    )
  }
}

/** Make the global dispatcher (fetch's) reroute Whop's hosts; the previous one carries every request. */
export function installUndiciReroute(target: MockTarget): void {
  setGlobalDispatcher(getGlobalDispatcher().compose(rerouteInterceptor(target)))
}
