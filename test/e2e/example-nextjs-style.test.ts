/**
 * The Next.js-style example (conformance/examples/nextjs-style): Secure cookies on
 * http://127.0.0.1, a redirect to localhost after sign-in, the user read once at the callback and
 * the app's own session. Every mode of its verdict table gets exactly its verdicts.
 */
import t from 'tap'
import { examplesDir, readVerdictTable, testVerdictTable } from '../helpers/verdict-table.js'

const { DEFECTS } = (await import(new URL('nextjs-style/defects.js', examplesDir).href)) as { DEFECTS: Record<string, string> }
testVerdictTable(t, readVerdictTable('nextjs-style'), Object.keys(DEFECTS))
