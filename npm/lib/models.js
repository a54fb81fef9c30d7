'use strict';

// The original SDK's model classes, defined from one field table instead of one file per class.
// As in the original: a constructor given an object sets every field (null when absent),
// `mappingInfo()` lists the fields with their wire names, `discriminatorMap()` is empty,
// `getValue` and `mappingInfoContains` behave the same, and toJSON() gives the wire names (other
// own properties kept under their own names). Constructors also accept the wire (snake_case) names.

/**
 * Class name → its fields. `name` alone: a scalar whose wire name is the snake_case form;
 * `name[]`: a list kept as received; `name[Type]`: a list of that model. Where the original's
 * generated tables disagreed with the API (AppUserDto.givenName, AppUsersDto.users,
 * FacebookPagesDto.pages, MessagesDto.messages, MessageDto without direction,
 * GetAppUserMessagesResponse.data), these describe what the API sends.
 */
const FIELDS = {
  BaseMessageDto: ['text', 'channel'],
  SendMessageResponse: ['channel', 'text'],
  ConfigureAccountRequest: ['name', 'callbackUrl'],
  ProvisionAccountRequest: ['callbackUrl', 'name'],
  ConfigureAccountResponse: ['name', 'callbackUrl'],
  AppUserDto: ['id', 'surname', 'givenName'],
  GetAppUserByIdResponse: ['id', 'surname', 'givenName'],
  AppUsersDto: ['data[AppUserDto]'],
  GetAppUsersResponse: ['data[]'],
  FacebookPageDto: ['id', 'name'],
  FacebookPagesDto: ['data[FacebookPageDto]'],
  GetFacebookPagesResponse: ['data[]'],
  FacebookAuthorisationResponse: ['authorisationUrl'],
  GetFacebookAuthorisationURLResponse: ['authorisationUrl'],
  MessageDto: ['direction', 'text', 'channel', 'timestamp'],
  MessagesDto: ['data[MessageDto]'],
  GetAppUserMessagesResponse: ['messages', 'metadata'],
};

// Memoised: results and bodies convert names on every call.
const wireNames = new Map();
function wireName(name) {
  let wire = wireNames.get(name);
  if (wire === undefined) {
    wire = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (wireNames.size < 1000) wireNames.set(name, wire);
  }
  return wire;
}

/** The original's test for "a plain object" (cleanObject recursed into exactly these). */
function isObjectTag(value) {
  return Object.prototype.toString.call(value) === '[object Object]';
}

/** A value made JSON-ready the way the original's toJSON left it: models serialised, deeply. */
function serialise(value) {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Model) return value.toJSON();
  if (Array.isArray(value)) return value.map(serialise);
  return value;
}

/** Base of every model class (the original's BaseModel). */
class Model {
  /** @param {Record<string, unknown>} [obj] camelCase or snake_case keys */
  constructor(obj) {
    if (obj === null || obj === undefined) return;
    const { names, wires } = this.constructor;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const value = obj[name] !== undefined && obj[name] !== null ? obj[name] : obj[wires[i]];
      this[name] = value === undefined ? null : value;
    }
  }

  /**
   * The original's field helper: null for null or undefined, else the value itself.
   * @param {unknown} obj
   * @param {unknown} [defaultValue] ignored, as in the original
   */
  static getValue(obj, defaultValue) { // eslint-disable-line no-unused-vars
    return obj === undefined || obj === null ? null : obj;
  }

  /**
   * The fields of this model: `[{ name, realName, array?, type? }]` (a new array each call).
   * @returns {{ name: string, realName: string, array?: boolean, type?: string }[]}
   */
  static mappingInfo() {
    return [];
  }

  /** Discriminator value → model class name: no model of this API has one. */
  static discriminatorMap() {
    return {};
  }

  /**
   * The wire name of the field named `val`, or null when it is not a field.
   * @param {string} val
   */
  mappingInfoContains(val) {
    const info = this.constructor.mappingInfo();
    for (let i = 0; i < info.length; i++) if (info[i].name === val) return info[i].realName;
    return null;
  }

  /**
   * The date/time format of a field (the original's helper): this API has no date fields.
   * @param {string} name
   * @returns {null | undefined} null without a name, otherwise undefined
   */
  getDateTimeValueForField(name) {
    return name === undefined || name === null ? null : undefined;
  }

  /** The wire form: fields under their wire names, any other own property under its own name. */
  toJSON() {
    const out = {};
    const { names, wires } = this.constructor;
    const keys = Object.keys(this);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      const value = this[key];
      if (typeof value === 'function') continue;
      const i = names.indexOf(key);
      out[i < 0 ? key : wires[i]] = value === null || typeof value !== 'object' ? value : serialise(value);
    }
    return out;
  }
}

const models = {};
for (const [className, specs] of Object.entries(FIELDS)) {
  // A named class per entry so stack traces, inspect and `instanceof` read naturally.
  const cls = { [className]: class extends Model {} }[className];
  const fields = specs.map((spec) => {
    const m = /^(\w+)(?:\[(\w*)\])?$/.exec(spec);
    const field = { name: m[1], realName: wireName(m[1]) };
    if (m[2] !== undefined) field.array = true;
    if (m[2]) field.type = m[2];
    return Object.freeze(field);
  });
  // Fields (camelCase) and their wire names as two flat arrays: the per-call loops index both.
  Object.defineProperty(cls, 'names', { value: Object.freeze(fields.map((f) => f.name)) });
  Object.defineProperty(cls, 'wires', { value: Object.freeze(fields.map((f) => f.realName)) });
  Object.defineProperty(cls, 'mappingInfo', {
    value: function mappingInfo() { return fields.map((f) => ({ ...f })); },
    writable: true,
    configurable: true,
  });
  models[className] = cls;
}

/**
 * A request body as the original sent it: models serialised by their toJSON, null and undefined
 * keys dropped at every depth (the original's cleanObject), everything else as given, on a copy
 * (the caller's object is not changed). A top-level camelCase key of a known field of `model`
 * (e.g. `callbackUrl`) goes under its wire name unless that is given too.
 * @param {unknown} body
 * @param {typeof Model | undefined} model the operation's body model, for the top-level names
 */
function wireBody(body, model) {
  let value = body;
  // The common case (a model with the base toJSON) in one pass: its wire form without nulls.
  if (value instanceof Model && value.toJSON === Model.prototype.toJSON) return modelWire(value);
  if (value instanceof Model) value = value.toJSON();
  else if (value !== null && typeof value === 'object' && typeof value.toJSON === 'function' && !(value instanceof Date)) {
    value = value.toJSON('');
  }
  if (!isObjectTag(value)) return clean(value);
  const out = {};
  const keys = Object.keys(value);
  const names = model === undefined ? null : model.names;
  for (let k = 0; k < keys.length; k++) {
    let key = keys[k];
    const item = value[key];
    if (item === null || item === undefined) continue;
    if (names !== null) {
      const i = names.indexOf(key);
      if (i >= 0 && model.wires[i] !== key && !Object.prototype.hasOwnProperty.call(value, model.wires[i])) key = model.wires[i];
    }
    out[key] = typeof item !== 'object' ? item : clean(item);
  }
  return out;
}

/** What clean(model.toJSON()) gives, built directly (no intermediate object). */
function modelWire(model) {
  const out = {};
  const { names, wires } = model.constructor;
  const keys = Object.keys(model);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    const value = model[key];
    if (value === null || value === undefined || typeof value === 'function') continue;
    const i = names.indexOf(key);
    out[i < 0 ? key : wires[i]] = typeof value !== 'object' ? value : clean(value);
  }
  return out;
}

/** Null/undefined keys and list items dropped, deeply, on a copy; models serialised. */
function clean(value) {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Model) return clean(value.toJSON());
  if (Array.isArray(value)) {
    const out = [];
    for (let i = 0; i < value.length; i++) {
      if (value[i] !== null && value[i] !== undefined) out.push(clean(value[i]));
    }
    return out;
  }
  if (!isObjectTag(value)) return value;
  const out = {};
  const keys = Object.keys(value);
  for (let k = 0; k < keys.length; k++) {
    const item = value[keys[k]];
    if (item !== null && item !== undefined) out[keys[k]] = typeof item !== 'object' ? item : clean(item);
  }
  return out;
}

/**
 * A model result as the original's object mapper built it: every field set from the parsed body
 * (undefined when absent or null), lists and nested values as received, other keys not copied.
 * @param {typeof Model} cls
 * @param {unknown} json the parsed response body
 */
function mapResult(cls, json) {
  if (json === null || json === undefined) return null;
  const instance = new cls();
  const { names, wires } = cls;
  for (let i = 0; i < names.length; i++) {
    const value = json[wires[i]];
    instance[names[i]] = value === null ? undefined : value;
  }
  return instance;
}

module.exports = { models, Model, wireBody, mapResult };
