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
