// An app using @whop/sdk with no base URL: it talks to https://api.whop.com/api/v1.
import Whop from '@whop/sdk'

const client = new Whop({ apiKey: process.env.APP_API_KEY, maxRetries: 0 })
const minted = await client.accessTokens.create({ company_id: process.env.COMPANY_ID })
const refused = await client.accessTokens.create({ company_id: 'biz_00000000000000' }).then(
  () => null,
  (error) => ({ name: error.constructor.name, status: error.status }),
)
process.stdout.write(JSON.stringify({ baseURL: client.baseURL, token: typeof minted.token, refused }))
