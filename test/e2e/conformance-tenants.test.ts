/**
 * Four conformance runs in parallel against one running mock, each in a fresh tenant of it, get
 * the verdicts each gets alone, and leave no tenant behind. "Alone" is a run in a mock of its own
 * that nothing else uses; the four such baselines run at the same time, each in its own mock.
 */
import t from 'tap'
import { startMockServer } from '../../src/index.js'
import { runConformance } from '../../src/conformance/runner.js'
import type { RunResult } from '../../src/conformance/result.js'
import { fixturesRegistering, sampleConfig } from '../helpers/conformance.js'
import { call } from '../helpers/http.js'

const verdicts = (result: RunResult) => Object.fromEntries(result.results.map((r) => [r.id, r.status]))

t.test('four runs in parallel against one mock get the same verdicts as four runs alone', async (t) => {
  // Two correct apps and two with a defect, so the verdicts differ between runs and cannot leak unseen.
  const envs: Record<string, string>[] = [{}, { DEFECT: 'no-state-check' }, {}, { DEFECT: 'no-state-check' }]
  const configs = await Promise.all(envs.map((env) => sampleConfig(env)))
  const fixtures = fixturesRegistering(configs[0]!.oauth!.redirectUri)
  for (const config of configs.slice(1))
    fixtures.apps.find((a) => a.id === config.oauth!.clientId)!.redirect_uris.push(config.oauth!.redirectUri)
  const mock = await startMockServer({ port: 0, fixtures })
  t.teardown(() => mock.close())
  const against = configs.map((config) => ({ ...config, mock: { ...config.mock, url: mock.url } }))

  const own = await Promise.all(configs.map(() => startMockServer({ port: 0, fixtures })))
  t.teardown(() => Promise.all(own.map((m) => m.close())))
  const alone = await Promise.all(configs.map((config, i) => runConformance({ ...config, mock: { ...config.mock, url: own[i]!.url } })))
  for (const [i, m] of own.entries()) {
    t.match(alone[i]!.target.mock, new RegExp(`^${m.url.replace(/\./g, '\\.')}/t/t-`), `baseline ${i} ran in a tenant of its own mock`)
    t.equal(m.journal().length, 0, `baseline ${i} left its mock's default tenant untouched`)
  }
  const together = await Promise.all(against.map((config) => runConformance(config)))
  for (const [i, result] of together.entries()) {
    t.strictSame(verdicts(result), verdicts(alone[i]!), `run ${i}: the same verdicts in parallel as alone`)
    t.match(result.target.mock, new RegExp(`^${mock.url.replace(/\./g, '\\.')}/t/t-`), `run ${i} ran in a tenant`)
  }
  t.equal(new Set(together.map((r) => r.target.mock)).size, 4, 'four different tenants')
  t.ok(Object.values(verdicts(alone[1]!)).includes('fail'), 'the defective app fails something')
  t.notOk(Object.values(verdicts(alone[0]!)).includes('fail'), 'the correct one fails nothing')
  t.strictSame((await call('GET', `${mock.url}/_mock/tenants`)).body.tenants, [], 'every run deleted its tenant')
  t.equal(mock.journal().length, 0, 'nothing ran in the default tenant')
})
