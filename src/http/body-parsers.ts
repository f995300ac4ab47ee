/**
 * Body parsing for every API family: JSON (where an empty body counts as no body, and `null`
 * is a body), urlencoded forms, and anything else kept as text so the validation hook can say
 * which media types the operation takes instead of a bare 415.
 */
import formbody from '@fastify/formbody'
import type { FastifyInstance } from 'fastify'
import { invalidJson } from '../errors.js'

export async function registerBodyParsers(app: FastifyInstance): Promise<void> {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = (body as string).trim()
    if (text === '') return done(null, undefined)
    try {
      done(null, JSON.parse(text))
    } catch {
      done(invalidJson('The request body is not valid JSON.'), undefined)
    }
  })
  await app.register(formbody)
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body))
}
