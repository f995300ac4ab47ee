/**
 * The Auth.js example (conformance/examples/authjs): @auth/core with a generic OpenID Connect
 * provider pointed at the mock, sign-in started by POST with Auth.js's CSRF token. Every mode of
 * its verdict table gets exactly its verdicts.
 */
import t from 'tap'
import { examplesDir, readVerdictTable, testVerdictTable } from '../helpers/verdict-table.js'

const { DEFECTS } = (await import(new URL('authjs/defects.js', examplesDir).href)) as { DEFECTS: Record<string, string> }
testVerdictTable(t, readVerdictTable('authjs'), Object.keys(DEFECTS))
