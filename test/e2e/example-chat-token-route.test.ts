/**
 * The token-route example (conformance/examples/chat-token-route): a JSON {"userId"} body as
 * Whop's embedded chat sends it, checked against the app's session, and an `apik_` key sent as a
 * Bearer credential. Every mode of its verdict table gets exactly its verdicts.
 */
import t from 'tap'
import { examplesDir, readVerdictTable, testVerdictTable } from '../helpers/verdict-table.js'

const { DEFECTS } = (await import(new URL('chat-token-route/defects.js', examplesDir).href)) as { DEFECTS: Record<string, string> }
testVerdictTable(t, readVerdictTable('chat-token-route'), Object.keys(DEFECTS))
