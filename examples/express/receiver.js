'use strict';
// An Express app that receives Conversations callbacks (inbound messages) with the SDK's handler.
//
//   npm install express messagemedia-conversations-sdk
//   PORT=3000 node receiver.js
//
// Set the account's callback URL to https://YOUR-HOST/conversations/events (provisionAccount's
// callbackUrl). Try it locally against the sandbox:  node receiver.js --sandbox
//
// The handler answers 200 only after onEvent resolved, 400 for a body that is not an event,
// 500 when onEvent throws (the sender then delivers again), and acknowledges redeliveries of an
// event it already handled without calling onEvent twice (dedupe). It works after express.json()
// too; for a signature check give it the raw body (express.raw()) and a `verify` option.

const express = require('express');
const { createCallbackHandler } = require('messagemedia-conversations-sdk');

/** @param {(event: import('messagemedia-conversations-sdk').CallbackEvent) => unknown} onEvent */
function createApp(onEvent) {
  const app = express();
  app.post('/conversations/events', createCallbackHandler(onEvent, { dedupe: true }));
  app.get('/health', (req, res) => res.send('ok'));
  return app;
}

async function handle(event) {
  if (event.type !== 'message.received') {
    console.log(`event ${event.type} (not handled by this example)`, event.raw);
    return;
  }
  const who = [event.appUser.givenName, event.appUser.surname].filter(Boolean).join(' ');
  console.log(`${event.message.timestamp} ${who} (${event.appUser.id}): ${event.message.text ?? '(no text)'}`);
  // Store it, queue a reply with client.sendMessage(event.appUser.id, ...), etc. Throwing here
  // answers 500 and the sender retries later.
}

async function main() {
  const app = createApp(handle);
  const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${server.address().port}/conversations/events`;
  console.log(`receiving callbacks at ${url}`);
  if (!process.argv.includes('--sandbox')) return;
  // Local try-out: a sandbox whose account calls this receiver, and one simulated message.
  const { startSandbox } = require('messagemedia-conversations-sdk/testing');
  const sandbox = await startSandbox();
  const client = sandbox.client();
  await client.provisionAccount({ name: 'Express example', callbackUrl: url });
  await fetch((await client.getFacebookAuthorisationUrl()).authorisationUrl);
  await client.integrateFacebookPage((await client.listFacebookPages()).data[0].id);
  await sandbox.simulateInbound({ givenName: 'Ben', surname: 'Sims', text: 'Hi! Is this thing on?' });
  await new Promise((r) => setTimeout(r, 500));
  for (const d of await sandbox.deliveries()) console.log(`sandbox delivery ${d.id}: delivered=${d.delivered} (HTTP ${d.status})`);
  await sandbox.close();
  server.close();
}

module.exports = { createApp };
if (require.main === module) main().catch((err) => { console.error(err); process.exitCode = 1; });
