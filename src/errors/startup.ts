/**
 * Failures outside HTTP: what stops the mock, or a conformance run, from starting. Each class
 * carries a stable `code`; the CLI (cli/dispatch.ts) maps the code to its one line and exit
 * code, and library callers can branch on it. HTTP problems are in ../errors.ts. This module
 * imports nothing, so the CLI can recognise these errors without loading what raises them.
 */

export type StartupErrorCode =
  | 'usage_invalid'
  | 'option_invalid'
  | 'fixture_invalid'
  | 'key_file_invalid'
  | 'spec_invalid'
  | 'route_table_mismatch'
  | 'conformance_config_invalid'
  | 'conformance_setup_failed'
  | 'state_file_invalid'
  | 'redis_unreachable'

/** The base of every failure outside HTTP; `code` never changes between releases. */
export abstract class StartupError extends Error {
  abstract readonly code: StartupErrorCode
}

/** A command line that cannot be run. */
export class UsageError extends StartupError {
  override readonly name = 'UsageError'
  readonly code = 'usage_invalid'
}

/** An option value the server cannot start with. */
export class OptionError extends StartupError {
  override readonly name = 'OptionError'
  readonly code = 'option_invalid'
}

/** A fixture file that cannot be used: `path` is a JSON pointer into the file. */
export class FixtureError extends StartupError {
  override readonly name = 'FixtureError'
  readonly code = 'fixture_invalid'
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(path === '' ? `${file} ${problem}` : `${file}: ${path} ${problem}`)
  }
}

/** A key file that cannot be used. */
export class KeyFileError extends StartupError {
  override readonly name = 'KeyFileError'
  readonly code = 'key_file_invalid'
}

/** A state document (a --state-file, or PUT /_mock/state) this mock cannot load: one line says what is wrong. */
export class StateError extends StartupError {
  override readonly name = 'StateError'
  readonly code = 'state_file_invalid'
}

/** The spec document cannot drive the server. */
export class SpecError extends StartupError {
  override readonly name = 'SpecError'
  readonly code = 'spec_invalid'
}

/** The spec and the handler table disagree: names every mismatch. */
export class RouteTableError extends StartupError {
  override readonly name = 'RouteTableError'
  readonly code = 'route_table_mismatch'
}

/** A conformance configuration the runner cannot use; `field` is the dotted path of the culprit. */
export class ConfigError extends StartupError {
  override readonly name = 'ConfigError'
  readonly code = 'conformance_config_invalid'
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`)
  }
}

/**
 * A conformance run could not start: the mock, the app or the target server is unreachable or
 * failed to come up. No case was judged.
 */
export class SetupError extends StartupError {
  override readonly name = 'SetupError'
  readonly code = 'conformance_setup_failed'
  constructor(
    message: string,
    /** The app's last output lines, when the app failed to start. */
    readonly output: string[] = [],
  ) {
    super(message)
  }
}

/** `--redis-url` names a Redis the mock cannot reach (or not parse) at start. */
export class RedisUnreachableError extends StartupError {
  override readonly name = 'RedisUnreachableError'
  readonly code = 'redis_unreachable'
}
