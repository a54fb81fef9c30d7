// The inbox a support agent keeps open: app users with unread markers, the open conversation
// (images and reply buttons included), replies as text, image or buttons. It polls every second
// (1 + N calls: the users, then each user's messages), so new users and messages appear within
// 2 s without a click. Everything goes through the package's ConversationsClient (wasm engine).
import { ConversationsClient, ConversationsError } from 'messagemedia-conversations-sdk';

const POLL_MS = 1000;
const $ = (selector) => document.querySelector(selector);
const connectForm = $('#connect');
const composeForm = $('#compose');
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

let client = null;
let baseUrl = '';
let generation = 0; // bumps on every connect: an older polling loop stops
let current = null; // the open app user's id
/** id → { user, received: number of RECEIVED messages, seen: how many of them were read, history } */
const people = new Map();

// ---------------------------------------------------------------------------------------------
// Errors that say what to do

function advice(err) {
  if (!(err instanceof ConversationsError)) return `Unexpected error: ${err && err.message ? err.message : String(err)}`;
  const status = err.status;
  if (err.code === 'invalid_input') return `${err.message}`;
  if (err.code === 'transport') return `Cannot reach ${baseUrl}: is the sandbox running (make dashboard starts one) and the base URL right?`;
  if (err.code === 'timeout') return `${baseUrl} did not answer in time; still trying every second.`;
  if (err.code === 'decode') return `The server at ${baseUrl} did not answer like the Conversations API (HTTP ${status}): check the base URL.`;
  if (status === 401) return 'The API refused the credentials (HTTP 401): check the API key and secret.';
  if (status === 403) return 'The API key may not use the Conversations API (HTTP 403): ask MessageMedia support to enable it.';
  if (status === 404) return `Not found (HTTP 404): ${err.message} Check the base URL; the user may have been removed.`;
  if (status === 429) return 'Too many requests (HTTP 429): the inbox slows down and tries again.';
  if (status === 400 && /not provisioned/i.test(err.message)) {
    return `${err.message} (HTTP 400): provision the account first (or start the sandbox with --seed-demo, as make dashboard does).`;
  }
  if (status !== null && status >= 500) return `The API failed (HTTP ${status}): ${err.message} It is retried every second.`;
  return `${err.message}${status !== null ? ` (HTTP ${status})` : ''}`;
}

function showError(err) {
  const box = $('#error');
  box.textContent = err === null ? '' : advice(err);
  box.hidden = err === null;
}

function setStatus(text, live) {
  const el = $('#status');
  el.textContent = text;
  el.classList.toggle('live', live);
}

// ---------------------------------------------------------------------------------------------
// Rendering

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const fullName = (u) => [u.givenName, u.surname].filter(Boolean).join(' ') || u.id;

function renderUsers() {
  const list = $('#users');
  if (people.size === 0) {
    list.replaceChildren(el('li', 'empty', 'No app users yet. They appear here when someone writes to your page.'));
    return;
  }
  const items = [];
  for (const [id, p] of people) {
    let li = list.querySelector(`li[data-id="${CSS.escape(id)}"]`);
    if (!li) {
      li = el('li');
      li.dataset.id = id;
      const button = el('button', 'user');
      button.type = 'button';
      button.append(el('span', 'name'), el('span', 'badge'));
      button.addEventListener('click', () => openConversation(id));
      li.append(button);
    }
    const button = li.firstChild;
    const unread = id === current ? 0 : p.received - p.seen;
    button.querySelector('.name').textContent = fullName(p.user);
    const badge = button.querySelector('.badge');
    badge.textContent = unread > 0 ? `${unread} new` : '';
    badge.hidden = unread === 0;
    button.classList.toggle('unread', unread > 0);
    button.classList.toggle('selected', id === current);
    button.setAttribute('aria-label', `${fullName(p.user)}${unread > 0 ? `, ${unread} unread` : ''}`);
    items.push(li);
  }
  list.replaceChildren(...items);
}

function messageItem(m) {
  const li = el('li', `message ${String(m.direction).toLowerCase()}`);
  // Rich messages (type image / actions) carry their fields beside text, as the API sends them.
  if (typeof m.media === 'string' && m.media) {
    const img = el('img');
    img.src = m.media;
    img.alt = m.text || 'Image';
    img.loading = 'lazy';
    li.append(img);
  }
  if (m.text) li.append(el('div', 'text', m.text));
  if (Array.isArray(m.actions) && m.actions.length) {
    const row = el('div', 'actions');
    for (const a of m.actions) row.append(el('span', '', a.displayText ?? a.display_text ?? a.text ?? a.type));
    li.append(row);
  }
  const reply = m.responseText ?? m.response_text;
  if (reply) li.append(el('div', 'reply', `Tapped a button: ${reply}`));
  if (!li.firstChild) li.append(el('div', 'text', `(${m.type ?? 'empty'} message)`));
  const meta = el('div', 'meta');
  meta.append(el('span', 'direction', m.direction === 'SENT' ? 'You' : 'Customer'));
  const time = el('time', 'time', Number.isNaN(Date.parse(m.timestamp)) ? String(m.timestamp) : dateFormat.format(new Date(m.timestamp)));
  time.dateTime = m.timestamp;
  time.title = m.timestamp;
  meta.append(time);
  li.append(meta);
  return li;
}

function renderConversation(forceScroll) {
  const list = $('#messages');
  const p = current === null ? null : people.get(current);
  if (!p || !p.history) return;
  const key = JSON.stringify(p.history.map((m) => [m.timestamp, m.direction, m.text]));
  if (key === list.dataset.key && !forceScroll) return;
  const changed = key !== list.dataset.key;
  list.dataset.key = key;
  list.replaceChildren(...(p.history.length ? p.history.map(messageItem) : [el('li', 'empty', 'No messages yet.')]));
  // Newest at the bottom, in view: on opening and whenever something new arrives.
  if (changed || forceScroll) list.lastElementChild?.scrollIntoView({ block: 'end' });
}

// ---------------------------------------------------------------------------------------------
// Data

async function refresh(gen) {
  const users = await client.listAppUsers();
  const histories = await Promise.all(users.data.map((u) => client.listMessages(u.id).then((h) => h.messages.data, (err) => {
    if (err && err.status === 404) return [];
    throw err;
  })));
  if (gen !== generation) return;
  const first = people.size === 0;
  users.data.forEach((user, i) => {
    const history = histories[i];
    const received = history.filter((m) => m.direction === 'RECEIVED').length;
    const known = people.get(user.id);
    // What was there when the inbox opened counts as read; so does everything in the open conversation.
    const seen = known ? known.seen : (first ? received : 0);
    people.set(user.id, { user, history, received, seen: user.id === current ? received : seen });
  });
  renderUsers();
  renderConversation(false);
}

async function poll(gen) {
  let failures = 0;
  while (gen === generation) {
    try {
      await refresh(gen);
      if (gen !== generation) return;
      failures = 0;
      showError(null);
      setStatus(`Live · updated ${timeFormat.format(new Date())}`, true);
    } catch (err) {
      if (gen !== generation) return;
      failures++;
      showError(err);
      setStatus('Not updating: see the message above', false);
      // Credentials and configuration do not fix themselves: stop until the form is sent again.
      if (err instanceof ConversationsError && (err.status === 401 || err.status === 403 || err.code === 'invalid_input')) return;
    }
    await new Promise((r) => setTimeout(r, failures ? Math.min(POLL_MS * 2 ** failures, 10_000) : POLL_MS));
  }
}

function openConversation(id) {
  const p = people.get(id);
  if (!p) return;
  current = id;
  p.seen = p.received;
  document.body.classList.add('chatting');
  $('#conversation-title').textContent = `Conversation with ${fullName(p.user)}`;
  composeForm.hidden = false;
  $('#messages').dataset.key = '';
  renderUsers();
  renderConversation(true);
  composeForm.elements.text.focus();
}

function closeConversation() {
  current = null;
  document.body.classList.remove('chatting');
  composeForm.hidden = true;
  $('#conversation-title').textContent = 'Choose an app user to see the conversation';
  $('#messages').replaceChildren();
  $('#messages').dataset.key = '';
  renderUsers();
}

// ---------------------------------------------------------------------------------------------
// Forms

connectForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(connectForm);
  baseUrl = String(form.get('baseUrl') || '');
  generation++;
  people.clear();
  closeConversation();
  try {
    client = new ConversationsClient({
      baseUrl,
      username: form.get('username') || undefined,
      password: form.get('password') || undefined,
      // A dev tool against the local sandbox (see the note on the page).
      allowBrowserCredentials: true,
      timeoutMs: 10_000,
    });
  } catch (err) {
    client = null;
    showError(err);
    setStatus('Not connected', false);
    return;
  }
  setStatus('Connecting…', false);
  $('#settings').open = false;
  poll(generation);
});

function selectedKind() {
  return composeForm.querySelector('input[name=kind]:checked').value;
}

function showKindFields() {
  const kind = selectedKind();
  const f = composeForm.elements;
  f.media.hidden = kind !== 'image';
  f.buttons.hidden = kind !== 'buttons';
  f.text.placeholder = kind === 'image' ? 'Caption (optional)' : kind === 'buttons' ? 'Question, e.g. Was the coffee any good?' : 'Write a message';
}
for (const radio of composeForm.querySelectorAll('input[name=kind]')) radio.addEventListener('change', showKindFields);

/** "The best! = Y; That was coffee? = N" → reply actions (the Postman collection's wire names). */
function parseButtons(text) {
  return text.split(';').map((s) => s.trim()).filter(Boolean).map((part) => {
    const [display, response] = part.split('=').map((s) => s.trim());
    return { type: 'reply', displayText: display, responseText: response || display };
  });
}

composeForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (client === null || current === null) {
    showError(new Error('Choose an app user first.'));
    return;
  }
  const f = composeForm.elements;
  const kind = selectedKind();
  const text = f.text.value.trim();
  let message;
  if (kind === 'image') {
    if (!f.media.value.trim()) { showError(new Error('Enter the URL of the image to send.')); return; }
    message = { type: 'image', media: f.media.value.trim(), channel: 'facebook', ...(text ? { text } : {}) };
  } else if (kind === 'buttons') {
    const actions = parseButtons(f.buttons.value);
    if (!text || actions.length === 0) { showError(new Error('A buttons message needs a question and at least one button ("Label = reply").')); return; }
    message = { type: 'actions', text, actions, channel: 'facebook' };
  } else {
    if (!text) { showError(new Error('Write a message first.')); return; }
    message = { text, channel: 'facebook' };
  }
  const to = current;
  const button = composeForm.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    await client.sendMessage(to, message);
    f.text.value = '';
    f.media.value = '';
    f.buttons.value = '';
    showError(null);
    await refresh(generation);
  } catch (err) {
    showError(err);
  } finally {
    button.disabled = false;
  }
});

$('#back').addEventListener('click', closeConversation);

// Query parameters fill the form (make dashboard prints such a URL) and connect at once.
const params = new URLSearchParams(location.search);
for (const name of ['baseUrl', 'username', 'password']) {
  if (params.has(name)) connectForm.elements[name].value = params.get(name);
}
if (params.has('baseUrl')) connectForm.requestSubmit();
