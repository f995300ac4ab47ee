import { defineCase } from '../case.js'
import { serverAnswerIs, skip } from '../judge.js'
import { mintForFourHours } from '../scenarios/server.js'

export default defineCase({
  id: 'server-caps-expires-at-at-three-hours',
  description: 'Refuses an expires_at four hours ahead: 400 naming expires_at (the maximum is 3 hours)',
  source: 'reference §6 item 18: default 1 h, maximum 3 h [D S3]; 400 parameter_invalid [I]',
  part: 'server',
  scenario: mintForFourHours,
  verdict: (answer) => {
    if (answer === null) return skip("no token was minted, so the server's clock (its iat) is unknown")
    return serverAnswerIs(answer, '400 with param expires_at', (status, error) => status === 400 && error?.param === 'expires_at')
  },
})
