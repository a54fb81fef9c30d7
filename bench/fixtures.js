'use strict';

// Canned wire bodies shared by the benchmark server and the decode benchmark, so every figure is
// measured on the same bytes.

const USERS = JSON.stringify({
  data: [
    { id: 'd36c4ff6-4e81-4d7f-93c0-1472e09d1063', surname: 'Sims', given_name: 'Ben' },
    { id: '5a0b8c2e-1f3d-4e6a-9b7c-2d4e6f8a0b1c', surname: 'Nguyen', given_name: 'Linh' },
    { id: '9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4', surname: null, given_name: 'Aroha' },
  ],
});

const SENT = JSON.stringify({ channel: 'FACEBOOK', text: 'Thanks Ben! Shipping to Australia is $10.' });

const WORDS = ['shipping', 'Australia', 'order', 'thanks', 'parcel', 'tracking', 'when', 'price',
  'colour', 'size', 'café', 'refund', 'tomorrow', 'question', 'hello', 'delivery', '👍', 'great'];

/** A conversation of `n` messages (~200 bytes each on the wire), deterministic. */
function history(n) {
  const data = new Array(n);
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const words = [];
    const count = 12 + (next() % 10);
    for (let w = 0; w < count; w++) words.push(WORDS[next() % WORDS.length]);
    data[i] = {
      direction: i % 2 === 0 ? 'RECEIVED' : 'SENT',
      text: i % 50 === 49 ? null : words.join(' '),
      channel: 'FACEBOOK',
      timestamp: new Date(start + i * 61_000).toISOString(),
    };
  }
  return JSON.stringify({ messages: { data }, metadata: { user_id: 'd36c4ff6-4e81-4d7f-93c0-1472e09d1063', account_id: 'FunGuys007' } });
}

module.exports = { USERS, SENT, history };
