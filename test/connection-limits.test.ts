/**
 * Connections: more half-open clients than the connection cap (some silent, some sending their
 * headers a byte at a time) cannot stop the mock answering health. Past the cap connections are
 * closed as they arrive, and the header timeout sheds the slow ones, so health answers again
 * within that timeout and the process never runs out of descriptors.
 */
import t from 'tap'
import { connect, type Socket } from 'node:net'
import { startMock } from './helpers/start-mock.js'
import { call } from './helpers/http.js'
import { within } from './helpers/cli.js'

const CAP = 20
const HEADERS_TIMEOUT_MS = 1000

interface HalfOpen {
  socket: Socket
  slow: boolean
  closed: Promise<void>
}

function halfOpen(url: string, slow: boolean): HalfOpen {
  const { hostname, port } = new URL(url)
  const socket = connect({ host: hostname, port: Number(port) })
  socket.on('error', () => {}) // a reset by the server is what the test expects
  if (slow) socket.on('connect', () => socket.write('GET /_mock/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a'))
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()))
  return { socket, slow, closed }
}

async function healthAnswers(url: string): Promise<number> {
  for (;;) {
    try {
      const res = await call('GET', `${url}/_mock/health`, { headers: { connection: 'close' } })
      return res.status
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

/** Resolves once at least `count` of the clients' sockets are closed. */
async function closedAtLeast(clients: { socket: Socket }[], count: number): Promise<number> {
  for (;;) {
    const closed = clients.filter((c) => c.socket.closed).length
    if (closed >= count) return closed
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Which clients are still open, and how far each got: what a failure needs to say. */
function stillOpen(clients: HalfOpen[]): string {
  const open = clients.filter((c) => !c.socket.closed)
  return JSON.stringify(
    open.map(({ socket, slow }) => ({ slow, connecting: socket.connecting, written: socket.bytesWritten, read: socket.bytesRead })),
  )
}

// Told apart by what closes them, not by how soon: with a header timeout of a minute, a
// connection closed within the test was closed for the cap (a loaded machine may take a while).
t.test('past the cap, connections are closed as they arrive; those within it are held', async (t) => {
  const mock = await startMock(t, { maxConnections: CAP, headersTimeoutMs: 60_000 })
  const clients = Array.from({ length: CAP * 2 }, (_, i) => halfOpen(mock.url, i % 2 === 0))
  t.teardown(() => clients.forEach(({ socket }) => socket.destroy()))
  const closed = await within(15_000, `${CAP} connections closed for the cap`, closedAtLeast(clients, CAP))
  t.ok(closed >= CAP, `${closed} of ${clients.length} were closed, past the cap of ${CAP}`)
  await new Promise((resolve) => setTimeout(resolve, 500))
  const held = clients.filter((c) => !c.socket.closed).length
  t.ok(held > 0 && held <= CAP, `${held} within the cap are held until their header timeout`)
})

t.test('more half-open connections than the cap: the header timeout sheds them and health answers', async (t) => {
  const mock = await startMock(t, { maxConnections: CAP, headersTimeoutMs: HEADERS_TIMEOUT_MS })
  const clients = Array.from({ length: CAP * 2 }, (_, i) => halfOpen(mock.url, i % 2 === 0))
  t.teardown(() => clients.forEach(({ socket }) => socket.destroy()))
  t.equal(await within(30_000, 'health answering', healthAnswers(mock.url)), 200, 'health answers')
  const everyOne = Promise.all(clients.map((c) => c.closed))
  await within(30_000, 'every half-open connection closed by the server', everyOne).catch((error: Error) => {
    throw new Error(`${error.message}; still open: ${stillOpen(clients)}`)
  })
  t.pass(`all ${clients.length} half-open connections were closed by the mock`)
})
