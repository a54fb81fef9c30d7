// End to end: the dashboard (examples/dashboard/) in headless Chromium against a sandbox with the
// demo world: the seeded users, a conversation, a message sent and shown; a screenshot in
// test-output/. And the readable error a fresh (unprovisioned) sandbox gives.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, launch, openPage, startSandbox, startStatic } from './support.mjs';

let chrome;
let web;
test.before(async () => {
  web = await startStatic();
  chrome = await launch();
});
test.after(async () => {
  await chrome?.close();
  await web?.close();
});

function dashboardUrl(base) {
  const q = new URLSearchParams({ baseUrl: base, username: 'sandbox-key', password: 'sandbox-secret' });
  return `${web.url}/examples/dashboard/?${q}`;
}

test('lists users, opens a conversation, sends a message that appears', { timeout: 60_000 }, async (t) => {
  const sandbox = await startSandbox(['--seed-demo']);
  t.after(() => sandbox.stop());
  const page = await openPage(chrome.browser, dashboardUrl(sandbox.url));
  await page.locator('button.user', { hasText: 'Ben Sims' }).waitFor();
  const users = await page.locator('button.user').allTextContents();
  assert.deepEqual(users, ['Ben Sims', 'Robert Hood']);

  await page.locator('button.user', { hasText: 'Ben Sims' }).click();
  await page.locator('#messages li').first().waitFor();
  const before = await page.locator('#messages li').count();
  assert.equal(before, 3, 'the seeded conversation has 3 messages');
  assert.match(await page.locator('#messages li .direction').first().textContent(), /RECEIVED|SENT/);
  assert.ok((await page.locator('#messages li time').first().getAttribute('datetime')).endsWith('Z'));

  const text = `Thanks Ben! Shipping is $10 (${Date.now()}).`;
  await page.locator('#compose input[name=text]').fill(text);
  await page.locator('#compose button').click();
  await page.locator('#messages li', { hasText: text }).waitFor();
  assert.equal(await page.locator('#messages li').count(), before + 1);
  const last = page.locator('#messages li').last();
  assert.equal(await last.locator('.direction').textContent(), 'SENT');
  assert.equal(await last.locator('.text').textContent(), text);
  assert.equal(await page.locator('#error').isHidden(), true);

  const out = path.join(ROOT, 'test-output');
  fs.mkdirSync(out, { recursive: true });
  await page.screenshot({ path: path.join(out, 'dashboard.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
});

test('a fresh sandbox: the API error is shown readably', { timeout: 60_000 }, async (t) => {
  const sandbox = await startSandbox();
  t.after(() => sandbox.stop());
  const page = await openPage(chrome.browser, dashboardUrl(sandbox.url));
  const error = page.locator('#error');
  await error.waitFor();
  assert.match(await error.textContent(), /BadRequestError \(HTTP 400\): The account is not provisioned/);
});
