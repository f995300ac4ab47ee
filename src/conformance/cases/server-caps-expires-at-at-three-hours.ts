import { defineCase } from '../case.js'
import { describeServerAnswer, fail, pass, skip } from '../judge.js'
import { mintForFourHours } from '../scenarios/server.js'

export default defineCase({
  id: 'server-caps-expires-at-at-three-hours',
  description: 'Refuses an expires_at four hours ahead: 400 naming expires_at (the maximum is 3 hours)',
  source: 'reference §6 item 18: default 1 h, maximum 3 h [D S3]; 400 parameter_invalid [I]',
  part: 'server',
  scenario: mintForFourHours,
  verdict: (answer) => {
    if (answer === null) return skip("no token was minted, so the server's clock (its iat) is unknown")
    const param = (answer.json as { error?: { param?: unknown } } | undefined)?.error?.param
    return answer.status === 400 && param === 'expires_at' && answer.contractProblems.length === 0 ? pass : fail('400 with param expires_at', [describeServerAnswer(answer), ...answer.contractProblems].join('; '))
  },
})
