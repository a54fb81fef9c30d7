// The browser column of the fault matrix: every case of faults.json the sandbox can produce over
// CORS (scripted servers and per-engine skips excepted), run through the package's browser build
// (wasm engine, the browser's fetch) in headless Chromium, with the browser harness of
// tests/browser/. Runs whenever the wasm build (npm/wasm/) and that harness are present.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { ROOT, TABLE, BEN, control, fillPlaceholders, expectation } = require('./support.js');

const HARNESS = path.join(ROOT, 'tests', 'browser', 'support.mjs');
const present = fs.existsSync(path.join(ROOT, 'npm', 'wasm')) && fs.existsSync(HARNESS);
const OUT = path.join(ROOT, 'test-output', 'reliability');

test('fault matrix: browser (Chromium, wasm engine over fetch)', { skip: present ? false : 'no wasm build or browser harness in this checkout' }, async (t) => {
  const { launch, openPage, startStatic, startSandbox } = await import(HARNESS);
  const sandbox = await startSandbox(['--seed-demo']);
  const web = await startStatic();
  const chrome = await launch();
  const page = await openPage(chrome.browser, `${web.url}/tests/browser/page.html`);
  const rows = [];
  try {
    for (const testCase of TABLE.cases) {
      for (const op of ['get', 'post']) {
        const want = expectation(testCase, 'browser', op);
        if (want.skip || testCase.scripted) {
          rows.push(`| ${testCase.name} | ${op.toUpperCase()} | skipped: ${want.skip ?? 'scripted server'} | | |`);
          continue;
        }
        await t.test(`${testCase.name} ${op.toUpperCase()}`, async () => {
          await control(sandbox.url, 'POST', '/sandbox/reset', { seed_demo: true });
          const method = op === 'get' ? 'GET' : 'POST';
          if (testCase.fault) {
            const spec = { match: { method, path_prefix: '/beta/conversations/users' }, action: fillPlaceholders(testCase.fault.action) };
            if (testCase.fault.count !== undefined) spec.count = testCase.fault.count;
            await control(sandbox.url, 'POST', '/sandbox/faults', spec);
          }
          const text = `browser-${testCase.name}-${op}-${Date.now()}`;
          const got = await page.evaluate(async ({ base, options, op: which, text: msg, ben }) => {
            const { ConversationsClient } = await import('/npm/browser.mjs');
            const client = new ConversationsClient({ baseUrl: base, username: 'sandbox-key', password: 'sandbox-secret', allowBrowserCredentials: true, ...options });
            const started = performance.now();
            try {
              if (which === 'get') await client.listAppUsers();
              else await client.sendMessage(ben, { text: msg, channel: 'facebook' });
              return { ok: true, elapsedMs: Math.round(performance.now() - started) };
            } catch (err) {
              return { ok: false, code: err.code, status: err.status, message: String(err.message), elapsedMs: Math.round(performance.now() - started) };
            }
          }, { base: sandbox.url, options: { ...TABLE.config, ...testCase.config }, op, text, ben: BEN });
          // Preflights (OPTIONS) are counted by the sandbox too; the attempts are the rest.
          const counters = await control(sandbox.url, 'GET', '/sandbox/requests');
          const requests = Object.entries(counters.by_route).filter(([k]) => k.startsWith(`${method} `)).reduce((n, [, v]) => n + v, 0);
          const stored = JSON.stringify(await control(sandbox.url, 'GET', '/sandbox/state')).includes(text);
          const outcome = got.ok ? 'ok' : `${got.code}${got.status === null ? '' : ` ${got.status}`}`;
          rows.push(`| ${testCase.name} | ${method} | ${outcome} | ${requests} | ${got.elapsedMs} ms |`);
          const problems = [];
          if (want.ok && !got.ok) problems.push(`expected success, got ${outcome}: ${got.message}`);
          if (!want.ok && got.ok) problems.push(`succeeded, expected ${want.code}`);
          if (!want.ok && !got.ok) {
            if (got.code !== want.code) problems.push(`code ${got.code}, expected ${want.code} (${got.message})`);
            if ('status' in want && got.status !== want.status) problems.push(`status ${got.status}, expected ${want.status}`);
            if (want.message && !got.message.includes(want.message)) problems.push(`message lacks "${want.message}": ${got.message}`);
            if (want.not_message && got.message.includes(want.not_message)) problems.push(`message contains "${want.not_message}"`);
          }
          const most = want.requests_max ?? want.requests;
          if (requests < want.requests || requests > most) problems.push(`server saw ${requests} requests, expected ${want.requests}${most === want.requests ? '' : `..${most}`}`);
          if ('stored' in want && stored !== want.stored) problems.push(`stored=${stored}, expected ${want.stored}`);
          if (want.min_ms && got.elapsedMs < want.min_ms) problems.push(`took ${got.elapsedMs} ms: Retry-After not honoured`);
          if (got.elapsedMs > TABLE.within_ms) problems.push(`took ${got.elapsedMs} ms, over ${TABLE.within_ms}`);
          assert.deepEqual(problems, []);
        });
      }
    }
    assert.deepEqual(page.problems.filter((p) => !/Failed to load resource|net::ERR_/.test(p)), [], 'page errors');
  } finally {
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, 'matrix-browser.md'), `| case | op | outcome | server requests | time |\n|---|---|---|---|---|\n${rows.join('\n')}\n`);
    await page.close();
    await chrome.close();
    await web.close();
    await sandbox.stop();
  }
});
