/**
 * Mock replicas as real processes (`node dist/cli/main.cjs serve --redis-url …`), all advertising
 * one public URL as they would behind a load balancer, and HTTP calls to them whose answers are
 * checked against the spec like every other test's.
 */
import type { Test } from 'tap'
import { runCli, type CliRun } from '../../helpers/cli.js'
import { call, type JsonResponse } from '../../helpers/http.js'
import { responseContract } from '../../helpers/start-mock.js'
import { operationsAtPath } from '../../../src/spec/path-match.js'
import { splitTenantPath } from '../../../src/tenant-path.js'

/** What every replica advertises: the one URL clients would use in front of them. */
export const PUBLIC_URL = 'http://whop-mock.internal'

export interface Replica {
  url: string
  run: CliRun
  /** Kill it as a crash would. */
  kill: () => Promise<void>
}

export async function startReplica(t: Test, redisUrl: string, extra: string[] = []): Promise<Replica> {
  const run = runCli(t, ['serve', '--port', '0', '--public-url', PUBLIC_URL, '--redis-url', redisUrl, '--log-level', 'error', ...extra])
  const url = await run.listening()
  return {
    url,
    run,
    kill: async () => {
      run.child.kill('SIGKILL')
      await run.exited
    },
  }
}

type CallOptions = Parameters<typeof call>[2]

/** An HTTP call whose answer must match the spec (with shared state, 503 is any operation's while Redis is away). */
export async function checkedCall<T = any>(t: Test, method: string, url: string, options: CallOptions = {}): Promise<JsonResponse<T>> {
  const response = await call<T>(method, url, options)
  const contract = await responseContract()
  const path = new URL(url).pathname
  const operation = operationsAtPath(contract.spec, splitTenantPath(path)?.rest ?? path).find((op) => op.method === method.toUpperCase())
  const problems = contract.check({
    operationId: operation?.operationId ?? null,
    path,
    status: response.status,
    contentType: typeof response.headers['content-type'] === 'string' ? response.headers['content-type'] : undefined,
    body: response.text,
    sharedState: true,
  })
  if (problems.length > 0) t.fail(`${method} ${path} → ${response.status} does not match the spec: ${problems.join('; ')}`)
  return response
}
