/**
 * A mock scoped to one test: listens on port 0, checks every response it sends against the
 * spec (a mismatch fails the test that caused it), and closes at teardown.
 */
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { answeringFault } from '../../src/http/faults.js'
import { buildMockServerFromSpec, type BuiltMockServer } from '../../src/server.js'
import type { MockServerOptions } from '../../src/options.js'
import { ResponseContract } from '../../src/spec/contract.js'
import { loadBundledSpec, type Spec } from '../../src/spec/load-spec.js'
import type { MockContext } from '../../src/context.js'
import type { AddressInfo } from 'node:net'

export interface TestMock {
  url: string
  /** The PEM certificate when the mock serves HTTPS. */
  tlsCertificate: string | null
  context: MockContext
  /** The Fastify app, for in-process entry points (the proxy's inject upstream). */
  app: BuiltMockServer['app']
  /** Responses checked against the spec so far. */
  checked: () => number
}

let contract: ResponseContract | undefined

export async function responseContract(): Promise<ResponseContract> {
  if (contract === undefined) {
    contract = new ResponseContract(await loadBundledSpec())
    // Schemas compile on first use: a file that checks ten answers should not pay for every operation
    // (spec-drives-server.test.ts checks that every schema compiles).
  }
  return contract
}

/** Whether the spec documents `status` for this operation (for an unmatched route: only 404). */
function documents(check: ResponseContract, operationId: string | null, status: number): boolean {
  if (operationId === null) return status === 404
  return check.operation(operationId)?.responses[String(status)] !== undefined
}

/** A mock of the bundled spec, or of `spec` (one derived from it) whose responses are then checked against that spec. */
export async function startMock(t: Test, options: MockServerOptions = {}, spec?: Spec): Promise<TestMock> {
  const { app, context, tlsCertificate } = await buildMockServerFromSpec(spec ?? loadBundledSpec(), {
    port: 0,
    logLevel: (process.env.MOCK_LOG_LEVEL as 'error' | undefined) ?? 'silent',
    ...options,
  })
  const checked = await checkResponses(t, app, spec)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const url = `${tlsCertificate === null ? 'http' : 'https'}://127.0.0.1:${port}`
  context.listenUrl = url
  t.teardown(() => app.close())
  return { url, tlsCertificate, context, app, checked }
}

/**
 * Check every response `app` sends against the bundled spec (or `spec`): a mismatch fails `t`.
 * Resolves to a count of the responses checked so far.
 */
export async function checkResponses(t: Test, app: FastifyInstance, spec?: Spec): Promise<() => number> {
  const check = spec === undefined ? await responseContract() : new ResponseContract(spec)
  let checked = 0
  app.addHook('onSend', async (request, reply, payload) => {
    // A fault with a body answers whatever the test asked for, and one without a body may answer
    // a status its route does not document; everything else must match the spec.
    const fault = answeringFault(request)
    if (
      fault !== undefined &&
      (fault.body !== undefined || !documents(check, request.routeOptions.config?.operation?.operationId ?? null, fault.status))
    )
      return payload
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : payload == null ? '' : null
    const problems =
      body === null
        ? ['response body is a stream, which the contract check cannot read']
        : check.check({
            operationId: request.routeOptions.config?.operation?.operationId ?? null,
            path: request.url.split('?')[0]!,
            status: reply.statusCode,
            contentType: reply.getHeader('content-type') as string | undefined,
            body,
          })
    checked++
    if (problems.length > 0)
      t.fail(`${request.method} ${request.url} → ${reply.statusCode} does not match the spec: ${problems.join('; ')}`)
    return payload
  })
  return () => checked
}
