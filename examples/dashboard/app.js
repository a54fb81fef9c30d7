// The dashboard: app users, one user's conversation, sending a message, readable API errors.
// Everything goes through the package's ConversationsClient on its wasm engine.
import { ConversationsClient, ConversationsError } from 'messagemedia-conversations-sdk';

const $ = (selector) => document.querySelector(selector);
const connectForm = $('#connect');
const composeForm = $('#compose');
let client = null;
let current = null;

function showError(err) {
  const box = $('#error');
  if (err === null) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  // ConversationsError: a stable code, the HTTP status when there was one, the API's message.
  const what = err instanceof ConversationsError
    ? `${err.name}${err.status !== null ? ` (HTTP ${err.status})` : ''}: ${err.message}`
    : String(err);
  box.textContent = what;
  box.hidden = false;
}

async function guarded(work) {
  try {
    showError(null);
    await work();
  } catch (err) {
    showError(err);
  }
}

function item(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.textContent = text;
  return el;
}

async function loadUsers() {
  const list = $('#users');
  list.replaceChildren();
  const users = await client.listAppUsers();
  if (users.data.length === 0) list.append(item('li', 'empty', 'No app users yet.'));
  for (const user of users.data) {
    const li = document.createElement('li');
    const button = item('button', 'user', [user.givenName, user.surname].filter(Boolean).join(' ') || user.id);
    button.dataset.id = user.id;
    button.addEventListener('click', () => guarded(() => openConversation(user)));
    li.append(button);
    list.append(li);
  }
}

async function openConversation(user) {
  current = user;
  for (const b of document.querySelectorAll('button.user')) b.classList.toggle('selected', b.dataset.id === user.id);
  $('#conversation-title').textContent = `Conversation with ${[user.givenName, user.surname].filter(Boolean).join(' ')}`;
  composeForm.hidden = false;
  await loadMessages();
}

async function loadMessages() {
  const list = $('#messages');
  const history = await client.listMessages(current.id);
  list.replaceChildren(...history.messages.data.map((m) => {
    const li = document.createElement('li');
    li.className = `message ${String(m.direction).toLowerCase()}`;
    li.append(
      item('span', 'direction', m.direction),
      item('span', 'text', m.text ?? ''),
      item('time', 'time', new Date(m.timestamp).toLocaleString()),
    );
    li.querySelector('time').dateTime = m.timestamp;
    return li;
  }));
}

connectForm.addEventListener('submit', (event) => {
  event.preventDefault();
  guarded(async () => {
    const form = new FormData(connectForm);
    const username = form.get('username') || undefined;
    const password = form.get('password') || undefined;
    client = new ConversationsClient({
      baseUrl: form.get('baseUrl'), username, password,
      // A dev tool against the local sandbox (see the note on the page).
      allowBrowserCredentials: true,
      timeoutMs: 10_000,
    });
    current = null;
    composeForm.hidden = true;
    $('#messages').replaceChildren();
    await loadUsers();
  });
});

composeForm.addEventListener('submit', (event) => {
  event.preventDefault();
  guarded(async () => {
    const input = composeForm.elements.text;
    await client.sendMessage(current.id, { text: input.value, channel: 'facebook' });
    input.value = '';
    await loadMessages();
  });
});

// Query parameters fill the form (make dashboard prints such a URL) and connect at once.
const params = new URLSearchParams(location.search);
for (const name of ['baseUrl', 'username', 'password']) {
  if (params.has(name)) connectForm.elements[name].value = params.get(name);
}
if (params.has('baseUrl')) connectForm.requestSubmit();
