'use strict';
// The quickstart flow through the package against the real sandbox: the Node example that
// `make demo` runs, and the original SDK's documented usage of all 8 operations.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { startSandbox, ROOT } = require('../test-support/sandbox');
const lib = require('..');

test('examples/node/quickstart.js runs the whole flow against the sandbox', async (t) => {
  const sandbox = await startSandbox();
  t.after(() => sandbox.stop());
  // Resolve the package by name, as the example's users do, through a temp node_modules link.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quickstart-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(ROOT, 'npm'), path.join(dir, 'node_modules', 'messagemedia-conversations-sdk'), 'dir');
  const { stdout } = await new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, 'examples', 'node', 'quickstart.js'), sandbox.url], {
      env: { ...process.env, NODE_PATH: path.join(dir, 'node_modules') },
      timeout: 30_000,
    }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve({ stdout })));
  });
  assert.match(stdout, /provisioned "Quickstart Pty Ltd"/);
  assert.match(stdout, /callback received by our receiver: message\.received from Ben Sims/);
  assert.match(stdout, /RECEIVED Hi! How much is shipping to Australia\?/);
  assert.match(stdout, /SENT {5}Thanks Ben!/);
  assert.match(stdout, /NotFoundError \(code api, status 404\): The app user does not exist\./);
  assert.match(stdout, /getAppUsers\(callback\) → HTTP 200, 1 user\(s\), first: Ben/);
  assert.match(stdout, /delivered=true/);
  assert.match(stdout, /\nDone\.\n/);
});

test('the original documented usage of all 8 operations against the sandbox', async (t) => {
  const sandbox = await startSandbox();
  t.after(() => sandbox.stop());
  lib.Configuration.BASEURI = sandbox.url;
  lib.Configuration.basicAuthUserName = sandbox.key;
  lib.Configuration.basicAuthPassword = sandbox.secret;
  const { AppUsersController, ConfigurationController, FacebookController } = lib;

  // Before provisioning: the documented 400s, through callback AND promise.
  const [error, response, context] = await new Promise((resolve) => {
    AppUsersController.getAppUsers((...args) => resolve(args));
  });
  assert.ok(error instanceof lib.APIException);
  assert.equal(error.errorCode, 400);
  assert.equal(error.errorMessage, 'The account is not provisioned.');
  assert.equal(response, null);
  assert.equal(context.response.statusCode, 400);
  await assert.rejects(FacebookController.getFacebookAuthorisationURL(), { errorMessage: 'The account is not provisioned' });

  const account = await ConfigurationController.createConfigureAccount(new lib.ConfigureAccountRequest({ name: 'Compat Co' }));
  assert.ok(account instanceof lib.ConfigureAccountResponse);
  assert.equal(account.name, 'Compat Co');
  await assert.rejects(ConfigurationController.createConfigureAccount({ name: 'Again' }), {
    errorCode: 409, errorMessage: 'The account has already been provisioned.',
  });

  await assert.rejects(FacebookController.getFacebookPages(), { errorCode: 400 });
  const auth = await FacebookController.getFacebookAuthorisationURL();
  assert.ok(auth instanceof lib.GetFacebookAuthorisationURLResponse);
  assert.equal((await fetch(auth.authorisationUrl)).status, 200);
  const pages = await FacebookController.getFacebookPages();
  const pageId = pages.data[0].id;
  await assert.rejects(FacebookController.createIntegrateFacebookPage('nope'), {
    errorCode: 400,
    errorMessage: "The account is not provisioned or the Facebook user isn't authenticated or the facebookPageId is invalid.",
  });
  assert.equal(await FacebookController.createIntegrateFacebookPage(pageId), '');

  const inbound = await fetch(`${sandbox.url}/sandbox/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${sandbox.key}:${sandbox.secret}`).toString('base64')}` },
    body: JSON.stringify({ page_id: pageId, given_name: 'Robert', surname: 'Hood', text: 'Hello there' }),
  });
  assert.equal(inbound.status, 201);
  const users = await AppUsersController.getAppUsers();
  assert.equal(users.data.length, 1);
  assert.equal(users.data[0].given_name, 'Robert'); // list items as received on the wire
  const id = users.data[0].id;
  const user = await AppUsersController.getAppUserById(id);
  assert.equal(user.givenName, 'Robert');

  const sent = await AppUsersController.createSendMessage(id, new lib.BaseMessageDto({ text: 'Hi Robert', channel: 'facebook' }));
  assert.ok(sent instanceof lib.SendMessageResponse);
  assert.equal(sent.text, 'Hi Robert');
  const history = await AppUsersController.getAppUserMessages(id);
  assert.deepEqual(history.messages.data.map((m) => [m.direction, m.text]), [['RECEIVED', 'Hello there'], ['SENT', 'Hi Robert']]);
  assert.equal(history.metadata.user_id, id); // as the server sent it

  const notFound = await new Promise((resolve) => {
    AppUsersController.getAppUserMessages('ghost', (err) => resolve(err));
  });
  assert.equal(notFound.errorCode, 404);
  assert.equal(notFound.errorMessage, 'The app user does not exist.');
  assert.equal(JSON.stringify(Object.keys(notFound)), '["errorMessage","errorCode","errorResponse"]');
});
