/**
 * The real-browser mode against the sample app as it is: the whole suite, once with the
 * simulated browser and once with Chromium, gives every case the same verdict.
 */
import t from 'tap'
import { compareBrowsers } from '../helpers/real-browser.js'

t.test('the sample app: the same verdict on every case in both browsers, every case judged', (t) => compareBrowsers(t, {}))
