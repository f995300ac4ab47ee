import { defineCase } from '../case.js'
import { eachMint } from '../judge.js'
import { signedInCaller } from '../scenarios/token-route.js'

export default defineCase({
  id: 'token-route-sends-company-and-user-ids',
  description: 'Sends both company_id and user_id, those of the signed-in caller, when minting',
  source: 'reference §6 item 19: "both company_id and user_id are required together" for embedded chat [D S0]',
  part: 'token-route',
  scenario: signedInCaller,
  verdict: (call, { tokenRoute }) =>
    eachMint(call, `company_id ${tokenRoute!.companyId} and user_id ${tokenRoute!.userId}`, (body) =>
      body.company_id === tokenRoute!.companyId && body.user_id === tokenRoute!.userId
        ? null
        : `the mint sent company_id ${JSON.stringify(body.company_id ?? null)} and user_id ${JSON.stringify(body.user_id ?? null)}`,
    ),
})
