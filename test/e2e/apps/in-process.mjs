// An app run with the preload and no WHOP_MOCK_URL: it mints through Whop's host, then reads the
// journal of the mock the preload started (whose URL the preload puts in WHOP_MOCK_URL).
const mint = await fetch('https://api.whop.com/api/v1/access_tokens', {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.APP_API_KEY}` },
  body: JSON.stringify({ company_id: process.env.COMPANY_ID }),
})
const journal = await fetch(`${process.env.WHOP_MOCK_URL}/_mock/journal`).then((res) => res.json())
process.stdout.write(JSON.stringify({ mint: mint.status, mockUrl: process.env.WHOP_MOCK_URL, journal: journal.entries }))
