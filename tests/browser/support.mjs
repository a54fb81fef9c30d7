// Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by playwright-core
// (which never downloads a browser), with HOME in a scratch directory and a fresh profile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, startStatic, startSandbox } from '../../examples/dashboard/serve.mjs';

export { ROOT, startStatic, startSandbox };

// playwright-core is a devDependency of the npm package.
const { chromium } = createRequire(path.join(ROOT, 'npm', 'package.json'))('playwright-core');

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic'];

/** Launches Chromium (Playwright gives it a fresh --user-data-dir); `close()` also removes HOME. */
export async function launch() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'conv-chromium-home-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, args: ARGS, env: { ...process.env, HOME: home },
  });
  return {
    browser,
    async close() {
      await browser.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A new page whose console errors and page errors are collected in `page.problems`. */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  page.problems = [];
  page.on('pageerror', (err) => page.problems.push(String(err)));
  page.on('console', (msg) => { if (msg.type() === 'error') page.problems.push(msg.text()); });
  if (url) await page.goto(url);
  return page;
}
