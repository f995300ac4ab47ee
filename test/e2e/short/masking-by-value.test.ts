/**
 * Masking by value: every secret the mock holds or issued (fixture keys and client secrets,
 * codes, access, refresh and id tokens, user tokens, CSRF tokens) is masked to its 8-character
 * prefix wherever a request puts it, in the journal and in trace-level logs. The placements are
 * the ones masking by name missed: text/plain bodies, camelCase and made-up field names, custom
 * headers, nested JSON, URL paths, bodies over 8 KiB, the sign-in form.
 */
import t from 'tap'
import { runCli } from '../../helpers/cli.js'
import { bearer, call } from '../../helpers/http.js'
import { companyKey, confidentialApp, jane, publicApp } from '../../helpers/fixtures.js'
import { codeFor, currentAuthorizeQuery, exchangeCurrent, pkce } from '../../helpers/oauth.js'

const PREFIX = 8

t.test('no secret appears whole in the journal or the trace log, wherever it is sent', async (t) => {
  const run = runCli(t, ['serve', '--port', '0', '--log-level', 'trace', '--auto-approve'])
  const url = await run.listening()
  const clientSecret = confidentialApp.client_secret!
  const apiKey = companyKey.key

  const verifier = pkce()
  const code = await codeFor(url, { pkce: verifier })
  const tokens = await exchangeCurrent(url, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier.verifier,
    client_id: publicApp.id,
    redirect_uri: publicApp.redirect_uris[0]!,
  })
  t.equal(tokens.status, 200)
  const { access_token: accessToken, refresh_token: refreshToken, id_token: idToken } = tokens.body
  const userToken = (await call('POST', `${url}/_mock/user_tokens`, { json: { user_id: jane.id, app_id: publicApp.id } })).body
    .token as string
  const page = await call('GET', `${url}/oauth/authorize?${currentAuthorizeQuery({ loginHint: null })}`)
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? ''
  const transaction = /name="transaction" value="([^"]+)"/.exec(page.text)?.[1] ?? ''
  const secrets = { clientSecret, apiKey, code, accessToken, refreshToken, idToken, userToken, csrf }
  for (const [name, value] of Object.entries(secrets)) t.ok(typeof value === 'string' && value.length > PREFIX, `have ${name}`)

  const token = (body: string, contentType: string, headers: Record<string, string> = {}) =>
    call('POST', `${url}/oauth/token`, { headers: { 'content-type': contentType, ...headers }, body })
  // text/plain with a form inside, and with JSON inside
  await token(`grant_type=authorization_code&code=${code}&client_secret=${clientSecret}`, 'text/plain')
  await token(JSON.stringify({ refresh_token: refreshToken, client_secret: clientSecret }), 'text/plain')
  // camelCase and made-up names, nested JSON
  await token(JSON.stringify({ clientSecret, refreshToken, grant_type: 'refresh_token' }), 'application/json')
  await token(JSON.stringify({ data: { deep: [[{ whatever: code }]], authCode: code, idt: idToken } }), 'application/json')
  // a custom header
  await token('grant_type=client_credentials', 'application/x-www-form-urlencoded', { 'x-client-secret': clientSecret, 'x-t': userToken })
  // in URL paths and under a made-up query name
  await call('GET', `${url}/api/v1/users/${accessToken}`, { headers: bearer(apiKey) })
  await call('GET', `${url}/api/v1/users/${apiKey}?at=${refreshToken}&x=pre${csrf}`)
  await call('GET', `${url}/v5/me/${userToken}`)
  // a body over 8 KiB, with secrets at the start, across the cut, and past it
  const padding = 'p'.repeat(8192 - 40 - 'x='.length)
  await token(`a=${clientSecret}&x=${padding}${refreshToken}${'q'.repeat(9000)}&late=${code}`, 'text/plain')
  await token(JSON.stringify({ first: accessToken, pad: 'z'.repeat(9000), last: apiKey }), 'application/json')
  // the sign-in form's CSRF token
  const cookie = String(page.headers['set-cookie']).split(';')[0] ?? ''
  const signedIn = await call('POST', `${url}/oauth/authorize`, {
    form: { transaction, csrf, decision: 'approve', user_id: jane.id },
    headers: { cookie },
  })
  t.equal(signedIn.status, 302)

  const journal = await call('GET', `${url}/_mock/journal`)
  t.equal(journal.status, 200)
  t.ok(journal.body.entries.length >= 12, `${journal.body.entries.length} entries`)
  const journalText = journal.text
  // The log's lines, not the banner (which prints the fixture key to paste, on purpose).
  const log = run
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .join('\n')
  t.match(log, /"msg":"incoming request"/, 'the log has a line per request')
  for (const [name, value] of Object.entries(secrets)) {
    t.notOk(journalText.includes(value), `${name} is not whole in the journal`)
    t.notOk(log.includes(value), `${name} is not whole in the trace log`)
    t.notOk(journalText.includes(value.slice(0, 24)), `no more than a short prefix of ${name} in the journal`)
  }
  t.ok(journalText.includes(`${clientSecret.slice(0, PREFIX)}…`), 'the client secret shows its prefix')
  t.ok(journalText.includes(`${code.slice(0, PREFIX)}…`), 'the code shows its prefix')
  t.ok(journalText.includes(`${csrf.slice(0, PREFIX)}…`), 'the CSRF token shows its prefix')
  t.ok(log.includes(`/api/v1/users/${apiKey.slice(0, PREFIX)}…`), 'the log shows the path with the key masked')
  t.ok(journalText.includes('truncated by the journal'), 'the long bodies were cut')
  run.child.kill('SIGTERM')
  await run.exited
})
