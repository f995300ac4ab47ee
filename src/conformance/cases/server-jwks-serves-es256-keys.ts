import { defineCase } from '../case.js'
import { serverAnswerIs } from '../judge.js'
import { fetchJwks } from '../scenarios/server.js'

export default defineCase({
  id: 'server-jwks-serves-es256-keys',
  description: 'GET /.well-known/jwks.json answers 200 {"keys": [...]} with public P-256 ES256 signing keys',
  source: 'reference §3: JWKS, algorithms ES256 [D NEW:src/lib/verify-user-token.ts]; jose needs 200 and {"keys"} [T]',
  part: 'server',
  scenario: fetchJwks,
  verdict: (answer) =>
    serverAnswerIs(
      answer,
      '200 {"keys": [{"kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid", "x", "y"}]}',
      (status) => status === 200,
    ),
})
