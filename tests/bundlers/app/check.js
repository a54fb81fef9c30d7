// The one check every case of the matrix runs, wherever it runs (a page, a Web Worker, Node, Bun,
// Deno, workerd): real calls to the sandbox through the package's public API, success and the
// typed errors. `sdk` is the package's module namespace as the case imported it.

/**
 * @param {any} sdk the package (import * as sdk / require)
 * @param {{ baseUrl: string, username: string, password: string }} params the sandbox
 * @returns {Promise<object>} what the runner compares with the expected result
 */
export async function check(sdk, { baseUrl, username, password }) {
  const { ConversationsClient, NotFoundError, InvalidInputError } = sdk;
  const started = performance.now();
  // A page holding the sandbox's credentials (as the dashboard does) must say so.
  const client = new ConversationsClient({ baseUrl, username, password, allowBrowserCredentials: true });
  const users = await client.listAppUsers();
  const firstCallMs = performance.now() - started;
  const user = users.data[0];
  const messages = await client.listMessages(user.id);
  let notFound = null;
  try {
    await client.getAppUser('no-such-user');
  } catch (err) {
    notFound = err instanceof NotFoundError ? `NotFoundError ${err.status}` : `unexpected ${err && err.name}: ${err && err.message}`;
  }
  let invalid = null;
  try {
    await client.sendMessage(user.id, { text: 42 });
  } catch (err) {
    invalid = err instanceof InvalidInputError ? `InvalidInputError ${err.field}` : `unexpected ${err && err.name}: ${err && err.message}`;
  }
  // The compat surface (the original SDK's names) is in every entry too.
  const compat = typeof sdk.AppUsersController?.getAppUsers === 'function' && typeof sdk.Configuration === 'object';
  return {
    users: users.data.length > 0,
    user: user.givenName,
    messages: messages.messages.data.length > 0,
    notFound,
    invalid,
    compat,
    firstCallMs: Math.round(firstCallMs),
  };
}
