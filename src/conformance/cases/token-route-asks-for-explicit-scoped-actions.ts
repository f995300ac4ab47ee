import { defineCase } from '../case.js'
import { eachMint } from '../judge.js'
import { signedInCaller } from '../scenarios/token-route.js'

export default defineCase({
  id: 'token-route-asks-for-explicit-scoped-actions',
  description: 'Asks for an explicit scoped_actions list rather than inheriting every permission of the key',
  source: 'reference §6 item 17: empty or omitted scoped_actions inherits all permissions [D S3, D-SCOPE]',
  part: 'token-route',
  scenario: signedInCaller,
  verdict: (call) =>
    eachMint(call, 'scoped_actions: a non-empty list of actions', (body) =>
      Array.isArray(body.scoped_actions) && body.scoped_actions.length > 0
        ? null
        : `the mint sent scoped_actions ${body.scoped_actions === undefined ? '(omitted)' : JSON.stringify(body.scoped_actions)}, so the token holds every permission of the key`,
    ),
})
