// Node (CommonJS): `node app.cjs <baseUrl> <key> <secret>` prints the result as JSON.
const sdk = require('messagemedia-conversations-sdk');

const [baseUrl, username, password] = process.argv.slice(2);
import('./check.js').then(({ check }) => check(sdk, { baseUrl, username, password })).then((r) => {
  console.log(JSON.stringify(r));
});
