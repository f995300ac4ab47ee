/** The whop-auth-mock command: a dispatcher over one module per subcommand, run by main.cts. */
import { SetupError, StartupError, type StartupErrorCode } from '../errors/startup.js'
import { packageVersion } from '../paths.js'

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

/**
 * Each failure outside HTTP: its exit code and the words before its message. Exit 2: the
 * user can fix it (command line, options, files, conformance config or setup); exit 1: the
 * package itself cannot run (its spec or route table is broken).
 */
const STARTUP_OUTCOMES: Record<StartupErrorCode, { exitCode: 1 | 2; lead: string }> = {
  usage_invalid: { exitCode: 2, lead: '' },
  option_invalid: { exitCode: 2, lead: '' },
  fixture_invalid: { exitCode: 2, lead: 'fixtures file ' },
  key_file_invalid: { exitCode: 2, lead: '' },
  conformance_config_invalid: { exitCode: 2, lead: 'invalid conformance config: ' },
  conformance_setup_failed: { exitCode: 2, lead: 'conformance could not start: ' },
  spec_invalid: { exitCode: 1, lead: 'the spec cannot drive the server: ' },
  route_table_mismatch: { exitCode: 1, lead: 'the spec and the handlers disagree: ' },
  state_file_invalid: { exitCode: 2, lead: '' },
  redis_unreachable: { exitCode: 2, lead: 'cannot use Redis: ' },
}

/** The app's last output lines under a setup failure, when it has any. */
function appOutput(error: StartupError): string {
  if (!(error instanceof SetupError) || error.output.length === 0) return ''
  return `\n  the app's last output:\n${error.output.map((l) => `    ${l}`).join('\n')}`
}

const LISTEN_FAILURES = new Set(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL'])

/** The port is taken, or the address cannot be bound. */
function isListenFailure(error: unknown): error is Error {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && LISTEN_FAILURES.has(error.code)
}

/** One line (plus any app output) and an exit code for whatever stopped a command. */
function exitCodeFor(error: unknown): { code: number; line: string } {
  if (error instanceof StartupError) {
    const { exitCode, lead } = STARTUP_OUTCOMES[error.code]
    return { code: exitCode, line: `whop-auth-mock: ${lead}${error.message}${appOutput(error)}` }
  }
  if (isListenFailure(error)) {
    return { code: 1, line: `whop-auth-mock: cannot listen: ${error.message}` }
  }
  return { code: 1, line: `whop-auth-mock: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` }
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
