'use strict';

// The original SDK's model classes, defined from one field table instead of one file per class.
// Instances hold camelCase properties; constructors accept camelCase or wire (snake_case) keys;
// toJSON() gives the wire names, deeply, so a model can be sent as a request body or compared
// with what the server sends.

/** Class name → its fields (camelCase); each wire name is the snake_case form. */
const FIELDS = {
  BaseMessageDto: ['text', 'channel'],
  SendMessageResponse: ['channel', 'text'],
  ConfigureAccountRequest: ['name', 'callbackUrl'],
  ProvisionAccountRequest: ['name', 'callbackUrl'],
  ConfigureAccountResponse: ['name', 'callbackUrl'],
  AppUserDto: ['id', 'surname', 'givenName'],
  GetAppUserByIdResponse: ['id', 'surname', 'givenName'],
  AppUsersDto: ['data'],
  GetAppUsersResponse: ['data'],
  FacebookPageDto: ['id', 'name'],
  FacebookPagesDto: ['data'],
  GetFacebookPagesResponse: ['data'],
  FacebookAuthorisationResponse: ['authorisationUrl'],
  GetFacebookAuthorisationURLResponse: ['authorisationUrl'],
  MessageDto: ['direction', 'text', 'channel', 'timestamp'],
  MessagesDto: ['data'],
  GetAppUserMessagesResponse: ['messages', 'metadata'],
};

// Memoised: compat results convert every key of every list item on each call.
const wireNames = new Map();
function wireName(name) {
  let wire = wireNames.get(name);
  if (wire === undefined) {
    wire = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (wireNames.size < 1000) wireNames.set(name, wire);
  }
  return wire;
}

function isPlain(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Deep copy with wire (snake_case) keys; models serialise themselves. */
function toWire(value) {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toWire);
  if (value instanceof Model) return value.toJSON();
  if (!isPlain(value)) return value;
  const out = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const item = value[keys[i]];
    out[wireName(keys[i])] = item === null || typeof item !== 'object' ? item : toWire(item);
  }
  return out;
}

/** Base of every model class. */
class Model {
  /** @param {Record<string, unknown>} [obj] camelCase or snake_case keys */
  constructor(obj) {
    if (obj === null || obj === undefined || typeof obj !== 'object') return;
    const { names, wires } = this.constructor;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const value = obj[name] !== undefined ? obj[name] : obj[wires[i]];
      if (value !== undefined) this[name] = value;
    }
  }

  /** The wire (snake_case) form. */
  toJSON() {
    const out = {};
    const { names, wires } = this.constructor;
    for (let i = 0; i < names.length; i++) {
      const value = this[names[i]];
      if (value !== undefined) out[wires[i]] = value === null || typeof value !== 'object' ? value : toWire(value);
    }
    return out;
  }
}

const models = {};
for (const [className, names] of Object.entries(FIELDS)) {
  // A named class per entry so stack traces, inspect and `instanceof` read naturally.
  const cls = { [className]: class extends Model {} }[className];
  // Fields (camelCase) and their wire names as two flat arrays: the per-call loops index both.
  Object.defineProperty(cls, 'names', { value: Object.freeze([...names]) });
  Object.defineProperty(cls, 'wires', { value: Object.freeze(names.map(wireName)) });
  models[className] = cls;
}

module.exports = { models, Model, toWire };
