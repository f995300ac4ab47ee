// An app with Whop's hosts hard-coded, calling them with fetch, node:https and node:http (both the
// default import and ES named imports), plus one other host (OTHER_URL). Prints what it got as JSON.
import http from 'node:http'
import https, { get as httpsGet } from 'node:https'

const read = (res) =>
  new Promise((resolve, reject) => {
    let body = ''
    res.setEncoding('utf8').on('data', (chunk) => (body += chunk))
    res.on('end', () => resolve({ status: res.statusCode, body }))
    res.on('error', reject)
  })
const viaNode = (start) =>
  new Promise((resolve, reject) => {
    const req = start((res) => read(res).then(resolve, reject))
    req.on('error', reject)
  })
const viaFetch = async (url, init) => {
  const res = await fetch(url, init)
  return { status: res.status, body: await res.text() }
}

const results = {
  fetchMint: await viaFetch('https://api.whop.com/api/v1/access_tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.APP_API_KEY}` },
    body: JSON.stringify({ company_id: process.env.COMPANY_ID }),
  }),
  httpsRequest: await viaNode((done) => {
    const req = https.request({ hostname: 'api.whop.com', path: '/v5/me', headers: { host: 'api.whop.com' } }, done)
    req.end()
    return req
  }),
  httpGet: await viaNode((done) => http.get('http://api.whop.com/.well-known/jwks.json', done)),
  namedHttpsGet: await viaNode((done) => httpsGet(new URL('https://sandbox-api.whop.com/.well-known/openid-configuration'), {}, done)),
  legacyPage: await viaFetch('https://whop.com/oauth/?client_id=app_unknown&response_type=code', { redirect: 'manual' }),
  otherFetch: await viaFetch(`${process.env.OTHER_URL}/fetch`),
  otherHttpGet: await viaNode((done) => http.get(`${process.env.OTHER_URL}/http`, done)),
}
process.stdout.write(JSON.stringify(results))
