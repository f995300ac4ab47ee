// Runs shell commands at the same time, each writing to this terminal, waits for all of them and
// exits with the first failure's code (0 when all pass). `npm test` type-checks while tap runs:
// the test processes spend much of their time waiting on sockets and timers, and tsc fills it.
// Usage: node scripts/together.mjs "<command>" "<command>" ...
import { spawn } from 'node:child_process'

const commands = process.argv.slice(2)
if (commands.length === 0) {
  console.error('usage: node scripts/together.mjs "<command>" ...')
  process.exit(2)
}
const codes = await Promise.all(
  commands.map(
    (command) =>
      new Promise((resolve) => {
        const child = spawn(command, { shell: true, stdio: 'inherit' })
        child.on('error', (error) => {
          console.error(`${command}: ${error.message}`)
          resolve(1)
        })
        child.on('exit', (code, signal) => {
          if (code !== 0) console.error(`${command}: ${signal === null ? `exit ${code}` : `killed by ${signal}`}`)
          resolve(code ?? 1)
        })
      }),
  ),
)
process.exit(codes.find((code) => code !== 0) ?? 0)
