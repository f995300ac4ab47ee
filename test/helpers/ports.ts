/**
 * Ports for the apps, CLIs and servers the tests start on a port of their choosing. A port the
 * OS picked for a listener that was then closed (`listen(0)`) is back in the kernel's ephemeral
 * range, where every later `listen(0)` and outgoing connection of every process may take it
 * before the app binds it; with a dozen runs at once that happened. So ports are picked below
 * the ephemeral range (Linux starts it at 32768: /proc/sys/net/ipv4/ip_local_port_range), where
 * only an explicit choice lands, and each tap worker takes its own block (TAP_CHILD_ID numbers
 * the test files of one run), so two workers never pick the same one; a file run with node
 * directly takes the block its process id picks. A port is checked free
 * with a bind before it is handed out, and a process hands each port of its block out once per
 * round of the block.
 */
import { createServer } from 'node:net'

const FIRST_PORT = 20_000
const BLOCK_SIZE = 240
/** 50 blocks: 20000-31999. */
const BLOCKS = 50
/** Outside tap (a file run with node directly), the process id picks the block. */
const block = (Number(process.env.TAP_CHILD_ID) || process.pid) % BLOCKS
let handedOut = 0

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** A port nobody listens on now, and which no other test process of this run is handed. */
export async function freePort(): Promise<number> {
  for (let tried = 0; tried < BLOCK_SIZE; tried++) {
    const port = FIRST_PORT + block * BLOCK_SIZE + (handedOut++ % BLOCK_SIZE)
    if (await bindable(port)) return port
  }
  throw new Error(`no free port in ${FIRST_PORT + block * BLOCK_SIZE}-${FIRST_PORT + (block + 1) * BLOCK_SIZE - 1}`)
}
