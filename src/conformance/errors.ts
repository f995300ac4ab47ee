/**
 * The conformance run's own failures, in a module with no imports so the CLI can tell them
 * apart without loading the conformance library on every command.
 */

/** A configuration the runner cannot use; `field` is the dotted path of the culprit. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`)
  }
}

/**
 * The run could not start: the mock, the app or the target server is unreachable or failed
 * to come up. The CLI exits 2 on it, as for a bad configuration, because no case was judged.
 */
export class SetupError extends Error {
  override readonly name = 'SetupError'
  constructor(
    message: string,
    /** The app's last output lines, when the app failed to start. */
    readonly output: string[] = [],
  ) {
    super(message)
  }
}
