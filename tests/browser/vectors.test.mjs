// Every conformance vector (tests/vectors/*.json) on the wasm engine in headless Chromium, through
// the package's browser entry and the runner shared with the Node tests (tests/vectors/runner.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, launch, openPage, startStatic } from './support.mjs';

const files = fs.readdirSync(path.join(ROOT, 'tests', 'vectors')).filter((f) => f.endsWith('.json')).sort();

test('conformance vectors in Chromium', { timeout: 120_000 }, async (t) => {
  assert.ok(files.length > 0, 'no vectors');
  const web = await startStatic();
  const chrome = await launch();
  t.after(async () => { await chrome.close(); await web.close(); });
  const page = await openPage(chrome.browser, `${web.url}/tests/browser/page.html`);
  const results = await page.evaluate(async (names) => {
    // The ./streamed entry awaits the module's instantiation (browser.mjs instantiates on the first
    // client), so the glue's Engine class is ready to use directly.
    const [{ runFile }] = await Promise.all([import('/tests/vectors/runner.mjs'), import('/npm/wasm/streamed.mjs')]);
    const { Engine } = await import('/npm/wasm/conversations.mjs');
    const out = {};
    for (const name of names) {
      const doc = await (await fetch(`/tests/vectors/${name}`)).json();
      out[name] = runFile(Engine, doc);
    }
    return out;
  }, files);
  assert.deepEqual(page.problems, []);
  let count = 0;
  for (const file of files) {
    await t.test(file, async (ft) => {
      for (const { name, error } of results[file]) {
        count++;
        await ft.test(name, () => { if (error !== null) assert.fail(error); });
      }
    });
  }
  assert.ok(count > 100, `only ${count} cases ran`);
});
