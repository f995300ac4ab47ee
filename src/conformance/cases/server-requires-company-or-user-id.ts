import { defineCase } from '../case.js'
import { serverAnswerIs } from '../judge.js'
import { mintWithoutIds } from '../scenarios/server.js'

export default defineCase({
  id: 'server-requires-company-or-user-id',
  description: 'With an API key and neither company_id nor user_id, answers 400 invalid_request_error, code parameter_missing',
  source: 'reference §2.1: "provide company_id or user_id", parameter_missing [D S3]; §6 item 19 (status [I])',
  part: 'server',
  scenario: mintWithoutIds,
  verdict: (answer) =>
    serverAnswerIs(
      answer,
      '400 {"error": {"type": "invalid_request_error", "code": "parameter_missing", ...}}',
      (status, error) => status === 400 && error?.type === 'invalid_request_error' && error.code === 'parameter_missing',
    ),
})
