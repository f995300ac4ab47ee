/** Failures outside HTTP carry stable codes, one per class, that library callers and the CLI branch on. */
import t from 'tap'
import {
  ConfigError,
  FixtureError,
  KeyFileError,
  OptionError,
  RouteTableError,
  SetupError,
  SpecError,
  StartupError,
  UsageError,
} from '../../src/errors/startup.js'

t.test('each failure outside HTTP has its own stable code and keeps its message', async (t) => {
  const cases: [StartupError, string, string][] = [
    [new UsageError('--port must be an integer'), 'usage_invalid', 'UsageError'],
    [new OptionError('port must be an integer'), 'option_invalid', 'OptionError'],
    [new FixtureError('f.json', '/users/0/id', 'is required'), 'fixture_invalid', 'FixtureError'],
    [new KeyFileError('key file k.json is not JSON'), 'key_file_invalid', 'KeyFileError'],
    [new SpecError('spec.yaml must be OpenAPI 3.1'), 'spec_invalid', 'SpecError'],
    [new RouteTableError('handler x has no operation in the spec'), 'route_table_mismatch', 'RouteTableError'],
    [new ConfigError('app.baseUrl', 'is required'), 'conformance_config_invalid', 'ConfigError'],
    [new SetupError('the app exited', ['boom']), 'conformance_setup_failed', 'SetupError'],
  ]
  for (const [error, code, name] of cases) {
    t.ok(error instanceof StartupError, `${name} is a StartupError`)
    t.equal(error.code, code, name)
    t.equal(error.name, name)
  }
  t.equal(new Set(cases.map(([e]) => e.code)).size, cases.length, 'no two classes share a code')
  t.equal(cases[2]![0].message, 'f.json: /users/0/id is required')
  t.equal(cases[6]![0].message, 'app.baseUrl is required')
})
