import { defineCase } from '../case.js'
import { serverAnswerIs } from '../judge.js'
import { mintBeyondKeyPermissions } from '../scenarios/server.js'

export default defineCase({
  id: 'server-refuses-non-subset-scoped-actions',
  description: "Refuses scoped_actions beyond the key's permissions: 403 forbidden, or 400 naming scoped_actions",
  source: 'reference §6 item 16: "Must be a subset" [D S3, NEW 0.0.7]; status undocumented, 403 or 400 parameter_invalid [I]',
  part: 'server',
  scenario: mintBeyondKeyPermissions,
  verdict: (answer) =>
    serverAnswerIs(
      answer,
      '403 forbidden (or 400 with param scoped_actions)',
      (status, error) => (status === 403 && error?.type === 'forbidden') || (status === 400 && error?.param === 'scoped_actions'),
    ),
})
