/**
 * The real-browser mode's browser: Debian's Chromium driven through playwright-core, started once
 * per run, with a fresh context (profile) per simulated user, and ended on every way out of the
 * run. playwright-core is loaded only here, only when the mode is asked for, so the package does
 * not need it otherwise.
 */
import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { SetupError } from '../errors/startup.js'
import type { BrowserMaker } from './browser-types.js'
import { ChromiumBrowser, Tabs } from './chromium-browser.js'

/** Headless, no sandbox (CI containers), and nothing that phones home or updates itself. */
export const LAUNCH_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

const LAUNCH_TIMEOUT_MS = 30_000

async function loadPlaywright(): Promise<typeof import('playwright-core')> {
  try {
    return await import('playwright-core')
  } catch {
    throw new SetupError('the chromium browser mode needs playwright-core: npm i playwright-core (and apt-get install chromium)')
  }
}

/** Start Chromium for one run. Throws SetupError, one line saying what to install, when it cannot start. */
export async function launchChromium(executablePath: string): Promise<BrowserMaker> {
  if (!existsSync(executablePath)) {
    throw new SetupError(
      `the chromium browser mode needs Chromium at ${executablePath}: apt-get install chromium, or set browser.executablePath`,
    )
  }
  const { chromium } = await loadPlaywright()
  let browser: Browser
  try {
    browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS, timeout: LAUNCH_TIMEOUT_MS })
  } catch (error) {
    const first = (error as Error).message.split('\n')[0] ?? ''
    throw new SetupError(`Chromium at ${executablePath} did not start: ${first}`)
  }
  const tabs = new Tabs()
  return {
    newBrowser: (options) => new ChromiumBrowser(browser, options, tabs),
    close: () => browser.close(),
  }
}
