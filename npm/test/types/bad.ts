// Misuse that must NOT compile. Every line marked BAD must produce an error, and only those.
import { ConversationsClient, AppUsersController, ConfigurationController } from 'messagemedia-conversations-sdk';

const client = new ConversationsClient({ username: 'k', password: 'p' });
new ConversationsClient({ timeoutMs: '5' }); // BAD: wrong option type
new ConversationsClient({ bogus: true }); // BAD: unknown option
void client.sendMessage(42, { text: 't', channel: 'c' }); // BAD: id must be a string
void client.sendMessage('id', { text: 't' }); // BAD: channel missing
void client.getAppUser('id', { timeout: 5 }); // BAD: unknown call option
void client.listAppUsers().then((u) => u.data[0].given_name); // BAD: outputs are camelCase
const n: number = client.baseUrl; // BAD: baseUrl is a string
AppUsersController.getAppUserById('id', (error, response) => response?.nope); // BAD: no such field
void ConfigurationController.createConfigureAccount({ callbackUrl: 'x' }); // BAD: name required
void client.sendMessage('id', { channel: 'c', text: 5 }); // BAD: text must be a string
void client.sendMessage('id', { channel: 'c', text: 't', actions: [{ displayText: 'A' }] }); // BAD: an action needs its type
void client.listAppUsers().withResponse().then((r) => r.response.status.toUpperCase()); // BAD: status is a number
new ConversationsClient({ transport: 'undici' }); // BAD: transport is 'rust' or 'node'
void n;
