// The workerd case (Cloudflare Workers): GET /?api=…&key=…&secret=… answers the result as JSON.
import * as sdk from 'messagemedia-conversations-sdk';
import { check } from './check.js';

export default {
  async fetch(request) {
    const q = new URL(request.url).searchParams;
    try {
      return Response.json(await check(sdk, { baseUrl: q.get('api'), username: q.get('key'), password: q.get('secret') }));
    } catch (err) {
      return Response.json({ error: `${err && err.name}: ${err && err.message}` });
    }
  },
};
