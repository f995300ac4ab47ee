import { defineCase } from '../case.js'
import { describeServerAnswer, fail, pass } from '../judge.js'
import { mintWithUnknownKey } from '../scenarios/server.js'

export default defineCase({
  id: 'server-rejects-unknown-api-key',
  description: 'An unknown API key gets 401 {"error": {"type": "unauthorized", "message": "Invalid or missing API key"}}',
  source: 'reference §6 item 14 [D S3]',
  part: 'server',
  scenario: mintWithUnknownKey,
  verdict: (answer) => {
    const type = (answer.json as { error?: { type?: unknown } } | undefined)?.error?.type
    if (answer.status === 401 && type === 'unauthorized' && answer.contractProblems.length === 0) return pass
    return fail('401 in the v1 error envelope with type unauthorized', [describeServerAnswer(answer), ...answer.contractProblems].join('; '))
  },
})
