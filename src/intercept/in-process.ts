/**
 * The mock the preload starts in the app's own process when no WHOP_MOCK_URL is given: plain HTTP
 * on a free loopback port, silent, and unreferenced (its server and connections), so it never
 * keeps the app alive: the app exits when its own work is done, as it would without the preload.
 */
import { buildMockServer } from '../server.js'

/** Start the mock; resolves to its URL (`http://127.0.0.1:<port>`). */
export async function startInProcessMock(): Promise<string> {
  const { app, context } = await buildMockServer({ port: 0, host: '127.0.0.1', logLevel: 'silent' })
  app.server.on('connection', (socket) => socket.unref())
  await app.listen({ port: 0, host: '127.0.0.1' })
  app.server.unref()
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('the in-process mock is not listening on a TCP port')
  const url = `http://127.0.0.1:${address.port}`
  context.listenUrl = url
  return url
}
