'use strict';

// A scripted stand-in for the Conversations API, with the documented example payloads. Tests
// state API facts here on purpose: they check that the engine produced them.

const { startServer, reply } = require('./server');

const USER_ID = '3898c5e4-73cc-44f9-812f-3698a4c3bb1d';
const PAGE_ID = '1573307926039629';
const EXAMPLES = {
  users: { data: [{ id: USER_ID, surname: 'Sims', given_name: 'Ben' }, { id: '331b1da8-10a5-44c7-91df-1dc14cc2f373', surname: 'Hood', given_name: 'Robert' }] },
  user: { id: USER_ID, surname: 'Sims', given_name: 'Ben' },
  messages: {
    messages: {
      data: [
        { direction: 'RECEIVED', text: 'Hey, how much is shipping?', channel: 'FACEBOOK', timestamp: '2017-12-12T18:18:40.000Z' },
        { direction: 'SENT', text: "Thank you for your query we'll be in touch with an answer shortly.", channel: 'FACEBOOK', timestamp: '2017-12-08T10:12:16.000Z' },
      ],
    },
    metadata: { user_id: USER_ID, account_id: 'FunGuys007' },
  },
  pages: { data: [{ id: PAGE_ID, name: 'Rainbow Serpent Festival' }, { id: '373479609790958', name: 'Fans of Doing Live Demos' }] },
  authorise: { authorisation_url: 'https://www.facebook.com/v2.12/dialog/oauth?client_id=1&state=2' },
};

/** The 8 operations: how to call them and what the server should see and send. */
const OPERATIONS = [
  { op: 'createSendMessage', method: 'POST', path: `/beta/conversations/users/${USER_ID}/messages`, accept: true, body: { channel: 'facebook', text: 'Hello' }, response: { channel: 'facebook', text: 'Hello' }, documented: { 400: 'The posted request is invalid or the account is not provisioned.', 404: 'The app user does not exist.' } },
  { op: 'getAppUserMessages', method: 'GET', path: `/beta/conversations/users/${USER_ID}/messages`, accept: true, response: EXAMPLES.messages, documented: { 404: 'The app user does not exist.' } },
  { op: 'getAppUserById', method: 'GET', path: `/beta/conversations/users/${USER_ID}`, accept: true, response: EXAMPLES.user, documented: { 404: 'The app user does not exist.' } },
  { op: 'getAppUsers', method: 'GET', path: '/beta/conversations/users', accept: true, response: EXAMPLES.users, documented: {} },
  { op: 'createConfigureAccount', method: 'POST', path: '/beta/conversations/provision', accept: true, body: { name: 'Rainbow Serpent Festival', callback_url: 'https://callback.url.com' }, response: { name: 'Rainbow Serpent Festival', callback_url: 'https://callback.url.com' }, documented: { 400: 'Not a valid request body.', 409: 'The account has already been provisioned.' } },
  { op: 'createIntegrateFacebookPage', method: 'POST', path: `/beta/conversations/facebook/pages/${PAGE_ID}/integrate`, accept: false, response: '', documented: { 400: "The account is not provisioned or the Facebook user isn't authenticated or the facebookPageId is invalid." } },
  { op: 'getFacebookPages', method: 'GET', path: '/beta/conversations/facebook/pages', accept: true, response: EXAMPLES.pages, documented: { 400: "The account is not provisioned or the Facebook user isn't authenticated." } },
  { op: 'getFacebookAuthorisationURL', method: 'GET', path: '/beta/conversations/facebook/authorise', accept: true, response: EXAMPLES.authorise, documented: { 400: 'The account is not provisioned' } },
];

/**
 * A server answering every operation with its example, unless `script(req)` returns
 * `[status, body, headers?]` (or handles `res` itself and returns true).
 */
function startApi(script) {
  return startServer((req, res) => {
    if (script) {
      const out = script(req, res);
      if (out === true) return;
      if (Array.isArray(out)) {
        reply(res, out[0], out[1], out[2]);
        return;
      }
    }
    const path = req.url;
    const found = OPERATIONS.find((o) => o.method === req.method && o.path === path);
    if (found) reply(res, 200, found.response);
    else reply(res, 404, { message: 'no such route' });
  });
}

const basic = (user, pass) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

module.exports = { startApi, OPERATIONS, EXAMPLES, USER_ID, PAGE_ID, basic };
