'use strict';
// The whole Conversations flow through the npm package, against the local sandbox:
//   node examples/node/quickstart.js http://127.0.0.1:PORT
// (`make demo` starts a sandbox, runs this, and stops it.) It provisions the account with a
// callback URL served by a tiny local receiver, completes the Facebook authorisation, integrates a
// page, simulates an inbound message, receives its callback with the SDK's createCallbackHandler,
// lists app users, reads the history, replies, and shows the callback delivery the sandbox made.
// The last step repeats a call through the original SDK's drop-in surface.

const http = require('node:http');
const lib = require('messagemedia-conversations-sdk');
const { ConversationsClient, NotFoundError, createCallbackHandler } = lib;

const baseUrl = (process.argv[2] || process.env.CONVERSATIONS_BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const username = process.env.CONVERSATIONS_KEY || 'sandbox-key';
const password = process.env.CONVERSATIONS_SECRET || 'sandbox-secret';

const step = (n, text) => console.log(`\n${n}. ${text}`);
const show = (text) => console.log(`   ${text}`);

/**
 * The webhook receiver: the SDK's handler parses and checks each callback and answers 200 once
 * `onEvent` has run (500 if it throws, so the sender retries). `next()` resolves with each event.
 */
function startReceiver() {
  const events = [];
  const waiters = [];
  const server = http.createServer(createCallbackHandler((event) => {
    const waiter = waiters.shift();
    if (waiter) waiter(event); else events.push(event);
  }, { dedupe: true }));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}/conversations-events`,
    next: (ms = 5000) => events.length ? Promise.resolve(events.shift()) : new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no callback delivery within ${ms} ms`)), ms);
      waiters.push((e) => { clearTimeout(timer); res(e); });
    }),
    close: () => new Promise((r) => server.close(r)),
  })));
}

/** The sandbox's control endpoints (not part of the real API, so plain fetch; same credentials). */
async function sandbox(path, init = {}) {
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const res = await fetch(`${baseUrl}/sandbox/${path}`, { ...init, headers: { ...init.headers, authorization } });
  if (!res.ok) throw new Error(`sandbox ${path}: HTTP ${res.status} ${await res.text()}`);
  const type = res.headers.get('content-type') || '';
  return type.includes('json') ? res.json() : res.text();
}

async function main() {
  console.log(`MessageMedia Conversations quickstart against ${baseUrl}`);
  const receiver = await startReceiver();
  const client = new ConversationsClient({ baseUrl, username, password, timeoutMs: 5000 });
  try {
    step(1, 'Provision the account, with our local receiver as callback URL');
    const account = await client.provisionAccount({ name: 'Quickstart Pty Ltd', callbackUrl: receiver.url });
    show(`provisioned "${account.name}" → callbacks to ${account.callbackUrl}`);

    step(2, 'Get the Facebook authorisation URL and complete it (the sandbox plays Facebook)');
    const { authorisationUrl } = await client.getFacebookAuthorisationUrl();
    show(`authorisation URL: ${authorisationUrl}`);
    await fetch(authorisationUrl);
    show('opened it: the Facebook user is now authenticated');

    step(3, 'List the Facebook pages and integrate the first');
    const pages = await client.listFacebookPages();
    for (const p of pages.data) show(`page ${p.id}  ${p.name}`);
    const page = pages.data[0];
    await client.integrateFacebookPage(page.id);
    show(`integrated "${page.name}"`);

    step(4, 'A Facebook user writes to the page (simulated inbound message)');
    const inbound = await sandbox('inbound', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ page_id: page.id, given_name: 'Ben', surname: 'Sims', text: 'Hi! How much is shipping to Australia?' }),
    });
    show(`Ben Sims says: "${inbound.message.text}"`);
    const event = await receiver.next();
    show(`callback received by our receiver: ${event.type} from ${event.appUser.givenName} ${event.appUser.surname}: "${event.message.text}"`);

    step(5, 'List app users');
    const users = await client.listAppUsers();
    for (const u of users.data) show(`${u.id}  ${u.givenName} ${u.surname}`);
    const ben = users.data.find((u) => u.givenName === 'Ben');

    step(6, `Reply to ${ben.givenName} and read the conversation`);
    const sent = await client.sendMessage(ben.id, { text: 'Thanks Ben! Shipping to Australia is $10.', channel: 'facebook' });
    show(`sent on ${sent.channel}: "${sent.text}"`);
    const history = await client.listMessages(ben.id);
    for (const m of history.messages.data) show(`[${m.timestamp}] ${m.direction.padEnd(8)} ${m.text}`);
    show(`metadata: user ${history.metadata.userId}, account ${history.metadata.accountId}`);

    step(7, 'Errors are typed');
    try {
      await client.getAppUser('no-such-user');
    } catch (err) {
      show(`${err.name} (code ${err.code}, status ${err.status}): ${err.message}; instanceof NotFoundError: ${err instanceof NotFoundError}`);
    }

    step(8, 'The original SDK surface still works unchanged');
    lib.Configuration.BASEURI = baseUrl;
    lib.Configuration.basicAuthUserName = username;
    lib.Configuration.basicAuthPassword = password;
    await new Promise((resolve) => {
      lib.AppUsersController.getAppUsers((error, response, context) => {
        show(`getAppUsers(callback) → HTTP ${context.response.statusCode}, ${response.data.length} user(s), first: ${response.data[0].given_name}`);
        resolve();
      });
    });

    step(9, 'Callback deliveries recorded by the sandbox');
    const deliveries = await sandbox('deliveries');
    for (const d of deliveries.data) show(`${d.event && d.event.type} → ${d.url}: delivered=${d.delivered} after ${d.attempts} attempt(s)`);
    console.log('\nDone.');
  } finally {
    client.close();
    await receiver.close();
  }
}

main().catch((err) => {
  console.error(`quickstart failed: ${err && err.stack ? err.stack : err}`);
  process.exitCode = 1;
});
