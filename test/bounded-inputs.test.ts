/**
 * Every input the audit found harmful is bounded and harmless: a huge clock move, many 1 MiB
 * bodies, many large faults, a 10,000-deep array and uploads past the total bound are refused or
 * cut to size, the stores stay within their byte bounds (counted, not timed), and afterwards
 * health, JWKS, a mint and a sign-in still work. Uploads keep every byte value.
 */
import t, { type Test } from 'tap'
import { request } from 'undici'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { startMock, type TestMock } from './helpers/start-mock.js'
import { memoryFaults, memoryJournal } from './helpers/memory-stores.js'
import { bearer, call } from './helpers/http.js'
import { acme, companyKey, jane } from './helpers/fixtures.js'
import { currentAuthorizeQuery } from './helpers/oauth.js'
import { MAX_BODY_CHARS } from '../src/http/journal-body.js'
import { DEFAULT_JOURNAL_BYTES } from '../src/options.js'
import { MAX_FAULT_CHARS, MAX_FAULT_CHARS_TOTAL, MAX_FAULTS } from '../src/state/faults.js'
import { MAX_UPLOAD_BYTES } from '../src/surfaces/provisioning/files.js'

const MiB = 1024 * 1024
/** A JSON body just under the default 1 MiB body limit. */
const bigJson = JSON.stringify({ grant_type: 'authorization_code', pad: 'x'.repeat(MiB - 100) })

async function stillServes(t: Test, mock: TestMock): Promise<void> {
  t.match(await call('GET', `${mock.url}/_mock/health`), { status: 200, body: { status: 'ok' } }, 'health')
  const jwks = await call('GET', `${mock.url}/.well-known/jwks.json`)
  t.equal(jwks.status, 200, 'JWKS')
  const minted = await call('POST', `${mock.url}/api/v1/access_tokens`, {
    headers: bearer(companyKey.key),
    json: { company_id: acme.id, user_id: jane.id },
  })
  t.equal(minted.status, 200, 'a mint')
  t.equal((await jwtVerify(minted.body.token, createLocalJWKSet(jwks.body))).payload.sub, jane.id, 'that verifies')
  const page = await call('GET', `${mock.url}/oauth/authorize?${currentAuthorizeQuery({ loginHint: null })}`)
  t.equal(page.status, 200, 'the sign-in page')
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page.text)?.[1] ?? ''
  const cookie = String(page.headers['set-cookie']).split(';')[0] ?? ''
  const form = { transaction: field('transaction'), csrf: field('csrf'), decision: 'approve', user_id: jane.id }
  t.equal((await call('POST', `${mock.url}/oauth/authorize`, { form, headers: { cookie } })).status, 302, 'a sign-in')
}

t.test('a huge clock advance is refused and leaves the mock serving', async (t) => {
  const mock = await startMock(t)
  t.equal((await call('POST', `${mock.url}/_mock/clock`, { json: { advance_seconds: 8.7e12 } })).status, 400)
  await stillServes(t, mock)
})

t.test('193 bodies of 1 MiB: the journal keeps each cut to 8 KiB and stays within its byte bound', async (t) => {
  const mock = await startMock(t)
  for (let i = 0; i < 193; i++) {
    const res = await call('POST', `${mock.url}/oauth/token`, { headers: { 'content-type': 'application/json' }, body: bigJson })
    t.equal(res.status < 500, true, `request ${i} answered ${res.status}`)
  }
  const journal = memoryJournal(mock.context)
  t.equal(journal.entries().length, 193, 'every request is journaled')
  const longest = Math.max(...journal.entries().map((e) => String(e.body).length))
  t.ok(longest <= MAX_BODY_CHARS + 80, `the longest journaled body has ${longest} characters`)
  t.match(String(journal.entries()[0]?.body), /…\[truncated by the journal: \d+ characters in all\]$/, 'with a marker')
  t.ok(journal.bytes < 193 * 16 * 1024, `the journal counts ${journal.bytes} bytes for 193 MiB received`)
  t.ok(journal.bytes <= DEFAULT_JOURNAL_BYTES)
  const read = await call('GET', `${mock.url}/_mock/journal`)
  t.equal(read.status, 200)
  await stillServes(t, mock)
})

t.test('a journal byte bound drops the oldest entries', async (t) => {
  const mock = await startMock(t, { journalBytes: 128 * 1024 })
  for (let i = 0; i < 40; i++)
    await call('POST', `${mock.url}/oauth/token`, { headers: { 'content-type': 'application/json' }, body: bigJson })
  const journal = memoryJournal(mock.context)
  t.ok(journal.bytes <= 128 * 1024, `${journal.bytes} bytes kept`)
  t.ok(journal.dropped > 0, `${journal.dropped} dropped`)
  t.ok(journal.entries().length < 40)
})

t.test('the journals of all tenants share one byte bound: the flooding tenant loses its own entries first', async (t) => {
  const total = 256 * 1024
  const mock = await startMock(t, { journalBytes: 128 * 1024, journalTotalBytes: total })
  await call('GET', `${mock.url}/t/quiet/_mock/clock`)
  t.equal((await call('GET', `${mock.url}/t/quiet/v5/me`)).status, 401, 'a quiet tenant has one entry')
  for (const tenant of ['a', 'b', 'c', 'd'])
    for (let i = 0; i < 30; i++)
      await call('POST', `${mock.url}/t/${tenant}/oauth/token`, { headers: { 'content-type': 'application/json' }, body: bigJson })
  const budget = mock.context.journalBudget
  t.ok(budget !== null && budget.used <= total, `all journals together hold ${budget?.used} bytes, at most ${total}`)
  const quiet = await call('GET', `${mock.url}/t/quiet/_mock/journal`)
  t.equal(quiet.body.entries.length, 1, "the quiet tenant's entry is kept")
  const last = await call('GET', `${mock.url}/t/d/_mock/journal`)
  t.ok(last.body.entries.length > 0 && last.body.entries.length < 30, `the newest flood keeps ${last.body.entries.length} entries`)
  const before = budget?.used ?? 0
  for (const tenant of ['a', 'b', 'c', 'd']) t.equal((await call('DELETE', `${mock.url}/_mock/tenants/${tenant}`)).status, 204)
  t.ok((budget?.used ?? Infinity) < before, 'deleted tenants give their bytes back')
  await stillServes(t, mock)
})

t.test('300 faults with 1 MiB bodies: each is refused; past the count bound a small one is too', async (t) => {
  const mock = await startMock(t)
  for (let i = 0; i < 300; i++) {
    const res = await call('POST', `${mock.url}/_mock/faults`, { json: { path: `/f${i}`, status: 500, body: 'x'.repeat(MiB - 200) } })
    t.equal(res.status, 400, `large fault ${i}`)
  }
  t.match(
    (await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/f', status: 500, body: 'x'.repeat(MAX_FAULT_CHARS + 1) } })).body,
    {
      error: { code: 'parameter_invalid', param: 'body' },
    },
  )
  for (let i = 0; i < MAX_FAULTS; i++)
    t.equal(
      (await call('POST', `${mock.url}/_mock/faults`, { json: { path: `/g${i}`, status: 500, body: 'y'.repeat(60_000) } })).status,
      201,
    )
  const over = await call('POST', `${mock.url}/_mock/faults`, { json: { path: '/h', status: 500 } })
  t.equal(over.status, 400, 'one more than the count bound')
  t.match(over.body, { error: { message: new RegExp(`At most ${MAX_FAULTS} faults`) } })
  const stored = memoryFaults(mock.context)
    .list()
    .reduce((sum, f) => sum + JSON.stringify(f).length, 0)
  t.ok(stored <= MAX_FAULTS * (MAX_FAULT_CHARS + 200), `faults hold ${stored} characters`)
  await call('DELETE', `${mock.url}/_mock/faults`)
  await stillServes(t, mock)
})

t.test('armed faults of all tenants share one byte bound; clearing or dropping a tenant gives it back', async (t) => {
  const mock = await startMock(t)
  const arm = (tenant: string, i: number) =>
    call('POST', `${mock.url}/t/${tenant}/_mock/faults`, { json: { path: `/f${i}`, status: 500, body: 'y'.repeat(60_000) } })
  let armed = 0
  let refused: Awaited<ReturnType<typeof arm>> | null = null
  for (const tenant of ['f0', 'f1', 'f2', 'f3']) {
    for (let i = 0; i < MAX_FAULTS && refused === null; i++) {
      const res = await arm(tenant, i)
      if (res.status === 201) armed++
      else refused = res
    }
  }
  t.ok(armed * 60_000 <= MAX_FAULT_CHARS_TOTAL && (armed + 1) * 60_000 > MAX_FAULT_CHARS_TOTAL, `${armed} faults fit the shared bound`)
  t.equal(refused?.status, 400)
  t.match(refused?.body, { error: { code: 'parameter_invalid', message: /Armed faults of all tenants/ } })
  t.equal((await call('DELETE', `${mock.url}/t/f0/_mock/faults`)).status, 204)
  t.equal((await arm('f3', 99)).status, 201, 'room again once a tenant cleared its faults')
  t.equal((await call('DELETE', `${mock.url}/_mock/tenants/f1`)).status, 204)
  t.equal((await arm('f3', 98)).status, 201, 'and once a tenant with faults is dropped')
  await stillServes(t, mock)
})

t.test('a 10,000-deep JSON array is journaled as cut text, the journal reads back, and as a fault body it is refused', async (t) => {
  const mock = await startMock(t)
  const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`
  const res = await call('POST', `${mock.url}/oauth/token`, { headers: { 'content-type': 'application/json' }, body: deep })
  t.ok(res.status < 500, `answered ${res.status}`)
  const read = await call('GET', `${mock.url}/_mock/journal`)
  t.equal(read.status, 200)
  t.match(read.body.entries[0].body, /^\[\[\[\[.*truncated by the journal: 20000 characters in all\]$/)
  const fault = await call('POST', `${mock.url}/_mock/faults`, {
    headers: { 'content-type': 'application/json' },
    body: `{"path":"/v5/me","status":502,"body":${deep}}`,
  })
  t.equal(fault.status, 400, 'the same array as a fault body is refused, not a 500')
  t.match(fault.body, { error: { code: 'parameter_invalid', param: 'body' } })
  await stillServes(t, mock)
})

async function createFile(mock: TestMock, filename: string): Promise<string> {
  const res = await call('POST', `${mock.url}/api/v1/files`, { headers: bearer(companyKey.key), json: { filename } })
  if (res.status !== 200 && res.status !== 201) throw new Error(`files.create answered ${res.status}: ${res.text}`)
  return res.body.id as string
}

async function upload(mock: TestMock, id: string, bytes: Buffer, type = 'image/png'): Promise<number> {
  const res = await request(`${mock.url}/_mock/uploads/${id}`, { method: 'PUT', headers: { 'content-type': type }, body: bytes })
  await res.body.text()
  return res.statusCode
}

t.test('an upload keeps every byte value, as image/png, application/octet-stream and application/pdf', async (t) => {
  const mock = await startMock(t)
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
  for (const [name, type] of [
    ['all.png', 'image/png'],
    ['all.bin', 'application/octet-stream'],
    ['all.pdf', 'application/pdf'],
  ] as const) {
    const id = await createFile(mock, name)
    t.equal(await upload(mock, id, all, type), 200)
    const back = await request(`${mock.url}/_mock/uploads/${id}`)
    t.same(Buffer.from(await back.body.arrayBuffer()), all, `${type}: the same 256 bytes come back`)
    t.match((await call('GET', `${mock.url}/api/v1/files/${id}`, { headers: bearer(companyKey.key) })).body, { size: '256' })
  }
})

t.test('uploads past the total byte bound are refused; replacing a file does not count it twice', async (t) => {
  const mock = await startMock(t)
  const mebibyte = Buffer.alloc(MiB - 1024, 7)
  const files = MAX_UPLOAD_BYTES / MiB + 2
  let accepted = 0
  let refused = 0
  for (let i = 0; i < files; i++) {
    const status = await upload(mock, await createFile(mock, `big${i}.png`), mebibyte)
    if (status === 200) accepted++
    else if (status === 400) refused++
  }
  t.ok(accepted * mebibyte.length <= MAX_UPLOAD_BYTES, `${accepted} MiB-sized uploads kept`)
  t.ok(refused >= 1, `${refused} refused`)
  await call('POST', `${mock.url}/_mock/reset`)
  const id = await createFile(mock, 'again.png')
  for (let i = 0; i < 40; i++) t.equal(await upload(mock, id, mebibyte), 200, `replacement ${i}`)
  await stillServes(t, mock)
})
