import { defineCase } from '../case.js'
import { serverAnswerIs } from '../judge.js'
import { mintWithUnknownKey } from '../scenarios/server.js'

export default defineCase({
  id: 'server-rejects-unknown-api-key',
  description: 'An unknown API key gets 401 {"error": {"type": "unauthorized", "message": "Invalid or missing API key"}}',
  source: 'reference §6 item 14 [D S3]',
  part: 'server',
  scenario: mintWithUnknownKey,
  verdict: (answer) =>
    serverAnswerIs(
      answer,
      '401 in the v1 error envelope with type unauthorized',
      (status, error) => status === 401 && error?.type === 'unauthorized',
    ),
})
