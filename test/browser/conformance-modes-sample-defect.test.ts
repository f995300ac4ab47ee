/**
 * The real-browser mode against the sample app with a sign-in defect: the suite's failing
 * verdicts are the same in both browsers, not only its passes.
 */
import t from 'tap'
import { compareBrowsers } from '../helpers/real-browser.js'

t.test('the sample app with DEFECT=no-state-check: the same verdict on every case in both browsers', async (t) => {
  const { chromium } = await compareBrowsers(t, { DEFECT: 'no-state-check' })
  t.ok(chromium.counts.failed > 0, 'the defect fails cases in Chromium too')
})
