/** Every reporter by the name `--reporter` takes. */
import type { RunResult } from '../result.js'
import { githubReport } from './github.js'
import { htmlReport } from './html.js'
import { jsonReport } from './json.js'
import { junitReport } from './junit.js'
import { summaryReport } from './summary.js'
import { tapReport } from './tap.js'

export const REPORTERS = {
  summary: summaryReport,
  tap: tapReport,
  junit: junitReport,
  json: jsonReport,
  html: htmlReport,
  github: githubReport,
} satisfies Record<string, (result: RunResult) => string>

export type ReporterName = keyof typeof REPORTERS

export const isReporterName = (name: string): name is ReporterName => Object.hasOwn(REPORTERS, name)
