// Typed usage of both surfaces; must compile under --strict.
import * as http from 'node:http';
import {
  ConversationsClient, ConversationsError, NotFoundError, InvalidInputError, APIException,
  Configuration, Logger, AppUsersController, ConfigurationController, FacebookController,
  BaseMessageDto, ConfigureAccountRequest, GetAppUsersResponse, GetAppUserMessagesResponse,
  type AppUser, type MessageList, type ClientOptions, type HttpContext, type Channel, type Direction,
} from 'messagemedia-conversations-sdk';

// Literal unions with an open fallback: the known values complete, others still type-check.
function literals(client: ConversationsClient, list: MessageList): void {
  const known: Channel = 'facebook';
  const later: Channel = 'whatsapp';
  const engine: 'native' | 'wasm' = client.engine;
  const io: 'rust' | 'node' | 'fetch' = client.transport;
  const received = list.messages.data.filter((m) => m.direction === 'RECEIVED');
  const d: Direction = 'SENT';
  void [known, later, engine, io, received, d];
}
void literals;

async function modern(): Promise<void> {
  const options: ClientOptions = {
    username: 'key', password: 'secret', baseUrl: 'http://127.0.0.1:1', timeoutMs: 1000, deadlineMs: 5000,
    maxRetries: 1, userAgent: 'app/1', agent: new http.Agent({ keepAlive: true }), logger: console,
  };
  const client = new ConversationsClient(options);
  const withFetch = new ConversationsClient({ fetch: globalThis.fetch });
  const overNodeHttp = new ConversationsClient({ transport: 'node', ca: ['-----BEGIN CERTIFICATE-----'] });
  const inBrowser = new ConversationsClient({ username: 'key', password: 'secret', allowBrowserCredentials: true });
  const ac = new AbortController();
  const sent: { channel: string; text: string | null } = await client.sendMessage('id', { text: 't', channel: 'facebook' }, { signal: ac.signal });
  const list: MessageList = await client.listMessages('id', { timeoutMs: 100 });
  const user: AppUser = await client.getAppUser('id');
  const given: string | null = user.givenName;
  const users = await withFetch.listAppUsers();
  const first: string = users.data[0].id;
  const account = await client.provisionAccount({ name: 'n', callbackUrl: 'https://c' });
  const raw: string = await client.integrateFacebookPage('page');
  const pages = await client.listFacebookPages();
  const url: string = (await client.getFacebookAuthorisationUrl()).authorisationUrl;
  const base: string = client.baseUrl;
  client.close();
  try {
    await client.getAppUser('x');
  } catch (err) {
    if (err instanceof NotFoundError) {
      const status: number = err.status;
      const body: string | null = err.body;
    } else if (err instanceof InvalidInputError) {
      const field: string | null = err.field;
    } else if (err instanceof ConversationsError) {
      const code: 'api' | 'timeout' | 'transport' | 'decode' | 'invalid_input' | 'aborted' = err.code;
    }
  }
  const image = await client.sendMessage('id', { channel: 'facebook', type: 'image', media: 'https://x.test/a.png' });
  await client.sendMessage('id', {
    channel: 'facebook', text: 'Was the coffee any good?',
    actions: [{ type: 'reply', displayText: 'The best!', responseText: 'Y' }, { type: 'url', url: 'https://x.test' }],
  });
  await client.sendMessage('id', { channel: 'facebook', type: 'carousel', cards: [] });
  await client.sendMessage('id', { channel: 'facebook', text: 't', metadata: { orderId: 7 } });
  const { data, response } = await client.listAppUsers().withResponse();
  const requestId: string | undefined = response.headers['x-request-id'];
  const status: number = response.status;
  const rawBody: string = response.body;
  const firstUser: AppUser = data.data[0];
  try {
    await client.getAppUser('x');
  } catch (err) {
    if (err instanceof ConversationsError) {
      const headers: Record<string, string> | null = err.headers;
      void headers;
    }
  }
  void [sent, list, given, first, account, raw, pages, url, base, image, requestId, status, rawBody, firstUser];
}

function compat(): void {
  Configuration.basicAuthUserName = 'API_KEY';
  Configuration.basicAuthPassword = 'API_SECRET';
  Configuration.BASEURI = 'http://127.0.0.1:8080';
  Logger.warn = (message: string) => { void message; };
  const body = new BaseMessageDto({ text: 'Hello', channel: 'facebook' });
  AppUsersController.createSendMessage('id', body, (error, response, context: HttpContext) => {
    if (error) {
      const e: APIException = error;
      const msg: string = e.errorMessage;
      const code: number | null = e.errorCode;
      const raw: string | null = e.errorResponse;
      void [msg, code, raw];
    } else {
      const text: string | undefined = response?.text;
      void text;
    }
    const status: number | null = context.response.statusCode;
    void status;
  });
  const p: Promise<GetAppUsersResponse> = AppUsersController.getAppUsers();
  AppUsersController.getAppUserMessages('id').then((r: GetAppUserMessagesResponse) => r.messages?.data?.[0]?.direction);
  AppUsersController.getAppUserById('id', () => {});
  ConfigurationController.createConfigureAccount(new ConfigureAccountRequest({ name: 'n', callback_url: 'u' }));
  ConfigurationController.createConfigureAccount({ name: 'n', callbackUrl: 'u' });
  FacebookController.createIntegrateFacebookPage('page').then((s: string) => s.length);
  FacebookController.getFacebookPages((err, res) => res?.data?.[0]?.id);
  FacebookController.getFacebookAuthorisationURL().then((r) => r.authorisationUrl);
  void p;
}

void modern;
void compat;
