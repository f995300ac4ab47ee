/**
 * Loaded into every test process (`.taprc` node-arg). tap's process tracker (@tapjs/processinfo)
 * puts itself into the NODE_OPTIONS of every process a test starts, through process-on-spawn's
 * hook on child_process, even when the test cleared NODE_OPTIONS (`childEnv` in ./cli.ts does).
 * Each app, CLI and mock the tests start then loads its module hook: about 0.2 s of CPU per
 * start, plus a hook on every import (the conformance CLI tests: 36 s of CPU with it, 21 s
 * without). Tracking children only serves coverage, which `.taprc` turns off, so the hook is
 * removed here and the tracker's import leaves the inherited NODE_OPTIONS: a child gets exactly
 * the environment its test gives it.
 */
import onSpawn from 'process-on-spawn'

onSpawn.removeAllListeners()
const options = (process.env.NODE_OPTIONS ?? '').split(' ').filter((option) => option !== '' && !option.includes('@tapjs/processinfo'))
if (options.length > 0) process.env.NODE_OPTIONS = options.join(' ')
else delete process.env.NODE_OPTIONS
