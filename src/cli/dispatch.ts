/** The whop-auth-mock command: a dispatcher over one module per subcommand, run by main.cts. */
import { ConfigError, SetupError } from '../conformance/errors.js'
import { FixtureError } from '../state/fixtures.js'
import { KeyFileError } from '../crypto/keys.js'
import { OptionError } from '../options.js'
import { StateError } from '../tenants/state-document.js'
import { packageVersion } from '../paths.js'
import { UsageError } from './option-table.js'

type Command = (argv: string[], env: NodeJS.ProcessEnv) => Promise<number>

// Commands load on use: a healthcheck every few seconds should not pay for loading the server.
const COMMANDS: Record<string, { run: Command; summary: string }> = {
  serve: { run: async (argv, env) => (await import('./serve.js')).serve(argv, env), summary: 'Start the mock (default)' },
  conformance: {
    run: async (argv, env) => (await import('./conformance.js')).conformance(argv, env),
    summary: "Check your app's Whop integration (or a Whop-compatible server) against the documented edge cases",
  },
  healthcheck: {
    run: async (argv, env) => (await import('./healthcheck.js')).healthcheck(argv, env),
    summary: 'Exit 0 if a running mock answers its health check (Docker HEALTHCHECK)',
  },
}

function help(): string {
  return [
    `whop-auth-mock ${packageVersion}: an offline mock of Whop's authentication API`,
    '',
    'Usage: whop-auth-mock <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(14)}${c.summary}`),
    '',
    'Run whop-auth-mock <command> --help for its options.',
    '',
  ].join('\n')
}

/** Errors the user can fix get one line and exit 2; a port already in use gets one line and exit 1. */
function exitCodeFor(error: unknown): { code: number; line: string } {
  if (error instanceof UsageError || error instanceof OptionError) return { code: 2, line: `whop-auth-mock: ${error.message}` }
  if (error instanceof FixtureError) return { code: 2, line: `whop-auth-mock: fixtures file ${error.message}` }
  if (error instanceof KeyFileError || error instanceof StateError) return { code: 2, line: `whop-auth-mock: ${error.message}` }
  if (error instanceof ConfigError) return { code: 2, line: `whop-auth-mock: invalid conformance config: ${error.message}` }
  if (error instanceof SetupError) {
    const output = error.output.length === 0 ? '' : `\n  the app's last output:\n${error.output.map((l) => `    ${l}`).join('\n')}`
    return { code: 2, line: `whop-auth-mock: conformance could not start: ${error.message}${output}` }
  }
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    return { code: 1, line: `whop-auth-mock: cannot listen: ${(error as Error).message}` }
  }
  return { code: 1, line: `whop-auth-mock: ${(error as Error).stack ?? String(error)}` }
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [first, ...rest] = argv
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(help())
    return 0
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${packageVersion}\n`)
    return 0
  }
  const named = first !== undefined && !first.startsWith('-')
  const command = named ? COMMANDS[first] : COMMANDS.serve
  if (command === undefined) {
    process.stderr.write(`whop-auth-mock: unknown command ${JSON.stringify(first)}\n\n${help()}`)
    return 2
  }
  try {
    return await command.run(named ? rest : argv, env)
  } catch (error) {
    const { code, line } = exitCodeFor(error)
    process.stderr.write(`${line}\n`)
    return code
  }
}

main(process.argv.slice(2), process.env).then((code) => process.exit(code))
