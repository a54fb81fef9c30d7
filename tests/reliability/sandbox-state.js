'use strict';

// `node sandbox-state.js snapshot URL FILE` saves the sandbox's state; `... check URL FILE`
// asserts, after a fuzzing run, that the sandbox still answers and that nothing in the saved
// state was lost or altered: same account and pages, every user still listed (by the API too)
// with the same names, and each user's earlier messages still the start of their history.

const fs = require('node:fs');
const assert = require('node:assert/strict');
const { control } = require('./support');

function get(url, route, auth) {
  return fetch(`${url}${route}`, { headers: auth ? { authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {} });
}

async function main() {
  const [mode, url, file] = process.argv.slice(2);
  const now = await control(url, 'GET', '/sandbox/state');
  if (mode === 'snapshot') {
    fs.writeFileSync(file, JSON.stringify(now));
    return;
  }
  const before = JSON.parse(fs.readFileSync(file, 'utf8'));
  const a = before.state;
  const b = now.state;
  assert.equal(now.format, before.format);
  assert.deepEqual(b.account, a.account, 'account changed');
  assert.equal(b.facebook_authenticated, a.facebook_authenticated);
  for (const page of a.integrated_pages) assert.ok(b.integrated_pages.includes(page), `page ${page} lost`);
  const res = await get(url, '/beta/conversations/users', 'sandbox-key:sandbox-secret');
  assert.equal(res.status, 200, 'GET /users after fuzzing');
  const listed = new Set((await res.json()).data.map((u) => u.id));
  let added = 0;
  for (const user of a.users) {
    const after = b.users.find((u) => u.id === user.id);
    assert.ok(after, `user ${user.id} lost`);
    assert.ok(listed.has(user.id), `user ${user.id} not listed by the API`);
    assert.equal(after.given_name, user.given_name);
    assert.equal(after.surname, user.surname);
    assert.deepEqual(after.messages.slice(0, user.messages.length), user.messages, `messages of ${user.id} altered`);
    added += after.messages.length - user.messages.length;
  }
  assert.equal((await get(url, '/openapi.json')).status, 200);
  console.log(`state intact: ${a.users.length} seeded users still listed with their ${a.users.reduce((n, u) => n + u.messages.length, 0)} messages; ${added} messages added by the fuzzer; account and ${a.integrated_pages.length} integrated page(s) unchanged`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
