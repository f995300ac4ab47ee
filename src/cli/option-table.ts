/**
 * Command options declared once: the same table feeds node:util parseArgs, environment
 * fallbacks and the --help text, so the parser and the help never drift apart.
 */
import { parseArgs } from 'node:util'
import { UsageError } from '../errors/startup.js'

export interface OptionSpec {
  type: 'string' | 'boolean'
  /** Environment variable read when the flag is absent. */
  env?: string
  /** Shown in --help, e.g. "<port>". */
  value?: string
  description: string
  default?: string
}

export type OptionTable = Record<string, OptionSpec>

export type ParsedOptions = Record<string, string | boolean | undefined>

const TRUE = new Set(['1', 'true', 'yes', 'on'])
const FALSE = new Set(['0', 'false', 'no', 'off', ''])

/** Parse argv against the table, falling back to the environment, then the default. */
export function parseOptions(table: OptionTable, argv: string[], env: NodeJS.ProcessEnv): { values: ParsedOptions; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...Object.fromEntries(Object.entries(table).map(([name, o]) => [name, { type: o.type }])),
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    // The CLI's errors are one line; parseArgs words some of its own over two.
    throw new UsageError((error as Error).message.replace(/\s*\n\s*/g, ' '))
  }
  const values: ParsedOptions = { help: parsed.values.help as boolean | undefined }
  for (const [name, spec] of Object.entries(table)) {
    const given = parsed.values[name] as string | boolean | undefined
    if (given !== undefined) {
      values[name] = given
      continue
    }
    const fromEnv = spec.env === undefined ? undefined : env[spec.env]
    if (fromEnv !== undefined) {
      if (spec.type === 'boolean') {
        const word = fromEnv.trim().toLowerCase()
        if (!TRUE.has(word) && !FALSE.has(word)) throw new UsageError(`${spec.env} must be true or false, got ${JSON.stringify(fromEnv)}`)
        values[name] = TRUE.has(word)
      } else {
        values[name] = fromEnv
      }
      continue
    }
    values[name] = spec.default
  }
  return { values, positionals: parsed.positionals }
}

/** A string option as an integer within bounds. */
export function integerOption(name: string, value: string | boolean | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim()) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`)
  }
  return n
}

export function renderHelp(usage: string, summary: string, table: OptionTable): string {
  const rows = Object.entries(table).map(([name, o]) => {
    const flag = `--${name}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}`
    const extras = [o.env && `env ${o.env}`, o.default !== undefined && `default ${o.default}`].filter(Boolean).join(', ')
    return [flag, `${o.description}${extras ? ` (${extras})` : ''}`] as const
  })
  const width = Math.max(...rows.map(([flag]) => flag.length), 10) + 2
  return [
    `Usage: ${usage}`,
    '',
    summary,
    '',
    'Options:',
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`),
    `  ${'-h, --help'.padEnd(width)}Show this help`,
    '',
  ].join('\n')
}
