/**
 * Body parsing for every API family: JSON (where an empty body counts as no body, and `null`
 * is a body), urlencoded forms, binary media types (uploads) as a Buffer with their exact
 * bytes, and anything else kept as text so the validation hook can say which media types the
 * operation takes instead of a bare 415.
 */
import formbody from '@fastify/formbody'
import type { FastifyInstance } from 'fastify'
import { invalidJson } from '../errors.js'

/** Media types whose bodies are bytes, not text. */
const BINARY_MEDIA_TYPES = /^(?:application\/(?:octet-stream|pdf)|image\/)/i

export async function registerBodyParsers(app: FastifyInstance): Promise<void> {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body).trim()
    if (text === '') return done(null, undefined)
    request.bodyText = text
    try {
      done(null, JSON.parse(text))
    } catch {
      done(invalidJson('The request body is not valid JSON.'), undefined)
    }
  })
  await app.register(formbody)
  app.addContentTypeParser(BINARY_MEDIA_TYPES, { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body))
}
