// The ESM types: named and default imports.
import lib, { ConversationsClient, AppUsersController } from 'messagemedia-conversations-sdk';

const client: ConversationsClient = new lib.ConversationsClient({ username: 'k', password: 'p' });
const users: Promise<{ data: { id: string }[] }> = client.listAppUsers();
lib.Configuration.basicAuthUserName = 'k';
void AppUsersController.getAppUsers();
void users;
