import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/** Debian's chromium, installed by .ci/install-browser.sh. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless and quiet: no sandbox (CI runs as root), no GPU, and none of Chromium's own network traffic
 * (updates, sync, QUIC probes), so a test sees only the requests it makes.
 */
export const CHROMIUM_LAUNCH_OPTIONS: LaunchOptions = {
  executablePath: CHROMIUM_PATH,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export const chromiumInstalled = (): boolean => existsSync(CHROMIUM_PATH);

/** Launches headless Chromium; the caller closes it (`afterAll(() => browser.close())`). */
export function launchBrowser(): Promise<Browser> {
  if (!chromiumInstalled()) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run .ci/install-browser.sh`);
  }
  return chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
}
