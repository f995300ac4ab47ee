/**
 * Files through the v1 API, as @whop/sdk's `files.upload` drives them: create returns a
 * pending file with a presigned-style `upload_url` (on the mock, `PUT /_mock/uploads/{id}`);
 * the PUT stores the bytes (bounded by the body limit and the file count) and makes the file
 * ready; retrieve then shows its `url`. A ready file's id is usable as `profile_picture.id`.
 * Mock choices: file ids are `file_` + 14 base62 (no documented prefix); the upload URL needs no
 * credential, as a presigned URL does not; a file's URL is served by the same route with GET.
 * @see docs/whop-reference.md §10 [D S1, NEW resources/files.ts, lib/upload-file.ts]
 */
import type { MockContext } from '../../context.js'
import type { Handlers } from '../../handlers.js'
import { requireCredential } from '../../auth/credentials.js'
import { notFound, parameterInvalid } from '../../errors.js'
import type { StoredFile } from '../../state/fixtures.js'
import { reachableCompanies, requireCompany } from './access.js'
import { contentStore, type Content } from '../../state/file-contents.js'
import { newId } from './ids.js'
import { changeWorld, shareContent } from '../../shared-world.js'
import { MAX_CREATED, requireRoom } from './limits.js'

/** Bytes of uploaded content a server keeps in all; an upload past it is refused. */
export const MAX_UPLOAD_BYTES = 32 * 1024 * 1024

/** A Map, not an object: a file named `constructor` or `__proto__` must not find Object.prototype's members. */
const CONTENT_TYPES: ReadonlyMap<string, string> = new Map(
  Object.entries({
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    webp: 'image/webp',
    pdf: 'application/pdf',
    txt: 'text/plain',
  }),
)

function fileOf(context: MockContext, id: string): StoredFile {
  const file = context.fixtures.data.files?.find((f) => f.id === id)
  if (file === undefined) throw notFound('id')
  return file
}

const uploadUrl = (context: MockContext, id: string) => `${context.publicUrl}/_mock/uploads/${id}`

function fileView(context: MockContext, file: StoredFile, created: boolean) {
  const ready = file.upload_status === 'ready'
  return {
    id: file.id,
    content_type: file.content_type,
    filename: file.filename,
    size: file.size === null ? null : String(file.size),
    upload_headers: created && !ready && file.content_type !== null ? { 'Content-Type': file.content_type } : null,
    upload_status: file.upload_status,
    upload_url: created && !ready ? uploadUrl(context, file.id) : null,
    url: ready ? uploadUrl(context, file.id) : null,
    visibility: file.visibility,
  }
}

/** The URL of a ready file, for a profile picture; a pending or unknown file is 400. */
export function readyFileUrl(context: MockContext, id: string): string {
  const file = context.fixtures.data.files?.find((f) => f.id === id)
  if (file === undefined || file.upload_status !== 'ready')
    throw parameterInvalid('profile_picture', `Invalid parameter: profile_picture names ${id}, which is not an uploaded file.`)
  return uploadUrl(context, file.id)
}

/** An upload's exact bytes: binary media types arrive as a Buffer (see http/body-parsers.ts). */
function bytesOf(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body
  return Buffer.from(typeof body === 'string' ? body : '')
}

function requireUploadRoom(store: Map<string, Content>, id: string, adding: number): void {
  let stored = 0
  for (const [storedId, content] of store) if (storedId !== id) stored += content.bytes.length
  if (stored + adding > MAX_UPLOAD_BYTES)
    throw parameterInvalid(
      null,
      `The mock keeps at most ${MAX_UPLOAD_BYTES} bytes of uploaded files; ${stored} are stored. POST /_mock/reset to start again.`,
    )
}

export function fileHandlers(context: MockContext): Handlers<'createFile' | 'retrieveFile' | 'uploadFileContent' | 'downloadFileContent'> {
  return {
    createFile(request) {
      const credential = requireCredential(request)
      const body = request.body
      const files = (context.fixtures.data.files ??= [])
      requireRoom(files.length, 'files')
      const extension = body.filename.split('.').pop()?.toLowerCase() ?? ''
      const file: StoredFile = {
        id: newId('file'),
        filename: body.filename,
        content_type: CONTENT_TYPES.get(extension) ?? 'application/octet-stream',
        size: null,
        upload_status: 'pending',
        visibility: body.visibility ?? 'public',
        owner_company_ids: reachableCompanies(context.fixtures, credential),
        created_at: context.clock.now().toISOString(),
      }
      files.push(file)
      return fileView(context, file, true)
    },

    retrieveFile(request) {
      const file = fileOf(context, request.params.id)
      if (file.owner_company_ids.length > 0) requireCompany(context.fixtures, requireCredential(request), file.owner_company_ids[0]!, 'id')
      return fileView(context, file, false)
    },

    uploadFileContent(request, reply) {
      const file = fileOf(context, request.params.id)
      const bytes = bytesOf(request.body)
      const content = { type: String(request.headers['content-type'] ?? file.content_type), bytes }
      const markReady = () => {
        const stored = fileOf(context, file.id)
        stored.size = bytes.length
        stored.upload_status = 'ready'
      }
      const world = context.world
      if (world !== null)
        return shareContent(world, file.id, content, MAX_UPLOAD_BYTES)
          .then(() => changeWorld(context, world, markReady))
          .then(() => reply.code(200).send({}))
      const store = contentStore(context.fixtures.data)
      if (store.size >= MAX_CREATED) requireRoom(store.size, 'files')
      requireUploadRoom(store, file.id, bytes.length)
      store.set(file.id, content)
      markReady()
      return reply.code(200).send({})
    },

    downloadFileContent(request, reply) {
      const file = fileOf(context, request.params.id)
      const send = (content: Content | undefined) => {
        if (content === undefined) throw notFound('id', 'This file has not been uploaded yet.')
        return reply.type(file.content_type ?? 'application/octet-stream').send(content.bytes)
      }
      const world = context.world
      return world === null ? send(contentStore(context.fixtures.data).get(file.id)) : world.content(file.id).then(send)
    },
  }
}
