// Typed use of the inbound surface (CommonJS types); compiled by callback.test.js with --strict.
import { ConversationsClient, createCallbackHandler, handleCallbackRequest, parseCallback, CallbackError, CallbackEvent } from 'messagemedia-conversations-sdk';
import { startSandbox, Sandbox } from 'messagemedia-conversations-sdk/testing';

const listener = createCallbackHandler(async (event: CallbackEvent) => {
  if (event.type === 'message.received') {
    const text: string | null | undefined = event.message?.text;
    const id: string | undefined = event.appUser?.id;
    void text; void id;
  }
}, { dedupe: true, maxAgeMs: 300_000, verify: (req) => req.signature !== null });
void listener;

try {
  const e = parseCallback('{"type":"x"}', { date: 'now' });
  const key: string = e.dedupKey;
  void key;
} catch (err) {
  if (err instanceof CallbackError) { const s: number = err.status; void s; }
}

async function flow(request: Parameters<typeof handleCallbackRequest>[0]): Promise<number> {
  const sandbox: Sandbox = await startSandbox({ seedDemo: true, port: 0 });
  const client: ConversationsClient = sandbox.client({ timeoutMs: 1000 });
  const sent = await sandbox.simulateInbound({ givenName: 'Ada', text: 'Hi' });
  const user: string = sent.appUserId;
  for await (const { appUser, message } of client.watchInbound({ intervalMs: 500, since: new Date() })) {
    const name: string | null = appUser.givenName;
    const ts: string = message.timestamp;
    void name; void ts; void user;
    break;
  }
  const deliveries = await sandbox.deliveries();
  await sandbox.close();
  const res = await handleCallbackRequest(request, () => undefined);
  return res.status + deliveries.length;
}
void flow;
