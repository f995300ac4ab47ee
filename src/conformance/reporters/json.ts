/** The whole run as JSON, evidence included: for tools that post-process results. */
import { packageVersion } from '../../paths.js'
import type { RunResult } from '../result.js'

export function jsonReport(result: RunResult): string {
  return `${JSON.stringify({ tool: 'whop-auth-mock conformance', version: packageVersion, ...result }, null, 2)}\n`
}
