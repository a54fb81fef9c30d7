'use strict';

// The ESM entry: `import` by package name (self-reference) gives the same implementation.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { startApi } = require('../test-support/api');

function run(args, cwd, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

test('import { ConversationsClient } from the package name works and shares the CJS classes', async () => {
  const api = await startApi();
  try {
    const script = `
      import { ConversationsClient, Configuration, AppUsersController, NotFoundError } from 'messagemedia-conversations-sdk';
      import lib from 'messagemedia-conversations-sdk';
      import { createRequire } from 'node:module';
      const cjs = createRequire(import.meta.url)('messagemedia-conversations-sdk');
      if (cjs.ConversationsClient !== ConversationsClient || lib.NotFoundError !== NotFoundError) throw new Error('two implementations');
      const { default: Dto } = await import('messagemedia-conversations-sdk/lib/Models/BaseMessageDto.js');
      const { default: deep } = await import('messagemedia-conversations-sdk/lib');
      if (Dto !== lib.BaseMessageDto || deep !== lib || deep.AppUsersController !== AppUsersController) throw new Error('deep paths differ');
      const c = new ConversationsClient({ username: 'k', password: 'p', baseUrl: process.env.API_URL });
      const users = await c.listAppUsers();
      Configuration.BASEURI = process.env.API_URL;
      const again = await AppUsersController.getAppUsers();
      console.log('ok', users.data.length, again.data.length);
    `;
    const { code, out } = await run(['--input-type=module', '-e', script], path.join(__dirname, '..'), { API_URL: api.url });
    assert.equal(code, 0, out);
    assert.match(out, /ok 2 2/);
  } finally {
    await api.close();
  }
});

test('the ESM and browser entries export exactly the names of the CommonJS implementation', () => {
  const fs = require('node:fs');
  const names = (file) => {
    const text = fs.readFileSync(path.join(__dirname, '..', file), 'utf8');
    const block = /export const \{([^}]*)\}/.exec(text);
    return block[1].split(',').map((s) => s.trim()).filter(Boolean).sort();
  };
  const cjs = Object.keys(require('..')).sort();
  assert.deepEqual(names('index.mjs'), cjs);
  assert.deepEqual(names('browser.mjs'), cjs);
});
