// A Next.js App Router route handler (app/api/conversations/route.js) that receives Conversations
// callbacks. The same function works in any fetch-style runtime: Vercel and Netlify functions,
// Cloudflare Workers (`export default { fetch: POST }`), Deno.serve(POST), Bun.serve({ fetch: POST }).
//
// Set the account's callback URL to https://YOUR-SITE/api/conversations.
import { handleCallbackRequest } from 'messagemedia-conversations-sdk';

/** What to do with each event: store it, notify an agent, queue a reply… Throwing answers 500 (retry). */
export async function onEvent(event) {
  if (event.type === 'message.received') {
    console.log(`${event.appUser.givenName ?? 'someone'} wrote: ${event.message.text ?? '(no text)'}`);
  }
}

// 200 after onEvent resolved, 400 not an event, 500 if onEvent throws; redeliveries acknowledged once.
export function POST(request) {
  return handleCallbackRequest(request, onEvent, { dedupe: true });
}
