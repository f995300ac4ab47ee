import { defineCase } from '../case.js'
import { serverAnswerIs } from '../judge.js'
import { mintWithKey } from '../scenarios/server.js'

export default defineCase({
  id: 'server-mints-token-with-api-key',
  description: 'POST /api/v1/access_tokens with an API key, company_id and user_id answers 200 {token, expires_at} as documented',
  source: 'reference §2.1: 200 with required strings token and expires_at [D S3]',
  part: 'server',
  scenario: mintWithKey,
  verdict: ({ answer }) => serverAnswerIs(answer, '200 {"token": "<JWT>", "expires_at": "<ISO 8601>"}', (status) => status === 200),
})
