'use strict';

// The original SDK's path lib/APIHelper: its static URL, serialisation and object helpers, for
// code that called them directly. Written for this package from the original's documented
// behaviour; the SDK's own calls do not use them (the engine builds every request).

const { Stream } = require('node:stream');

/** The original's "plain object" test (what cleanObject recursed into). */
const isObjectTag = (value) => Object.prototype.toString.call(value) === '[object Object]';

class APIHelper {
  /**
   * Replaces each `{name}` in `queryBuilder` with its parameter, percent-encoded (an array's
   * items encoded and joined with '/', null as '').
   * @param {string | null} queryBuilder
   * @param {Record<string, unknown> | null} parameters
   * @returns {string | null}
   */
  static appendUrlWithTemplateParameters(queryBuilder, parameters) {
    if (queryBuilder === null) return null;
    if (parameters === null) return queryBuilder;
    let url = queryBuilder;
    for (const name of Object.keys(parameters)) {
      const value = parameters[name];
      let text;
      if (value === null) text = '';
      else if (Array.isArray(value)) text = value.map((item) => encodeURIComponent(item)).join('/');
      else text = encodeURIComponent(value.toString());
      url = url.replace(`{${name}}`, text);
    }
    return url;
  }

  /**
   * Appends `parameters` as a query string (form-encoded, nested keys as `a[b]`, lists as `a[0]`).
   * @param {string | null} queryBuilder
   * @param {object} parameters
   * @returns {string | null}
   */
  static appendUrlWithQueryParameters(queryBuilder, parameters) {
    if (queryBuilder === null) return null;
    if (parameters === queryBuilder) return queryBuilder;
    const separator = queryBuilder.includes('?') ? '&' : '?';
    return queryBuilder + separator + APIHelper.urlEncodeObject(parameters);
  }

  /**
   * An absolute http(s) URL with the first run of repeated slashes after the host collapsed;
   * null for anything else.
   * @param {string} url
   * @returns {string | null}
   */
  static cleanUrl(url) {
    const origin = /^https?:\/\/[^/]+/.exec(url);
    if (origin === null) return null;
    return origin[0] + url.slice(origin[0].length).replace(/\/\/+/, '/');
  }

  /**
   * JSON text of `data` (JSON.stringify).
   * @param {unknown} data
   * @returns {string | undefined}
   */
  static jsonSerialize(data) {
    return JSON.stringify(data);
  }

  /**
   * Replaces `{0}`, `{1}`, ... in `str` with the further arguments.
   * @param {string} str
   * @param {...unknown} args
   * @returns {string}
   */
  static formatString(str, ...args) {
    if (!str || args.length === 0) return str;
    let out = str;
    args.forEach((arg, i) => { out = out.replace(new RegExp(`\\{${i}\\}`, 'gm'), arg); });
    return out;
  }

  /**
   * Deletes null and undefined properties of `input`, deeply, IN PLACE (as the original did),
   * and returns it. Streams are left alone.
   * @template T
   * @param {T} input
   * @returns {T}
   */
  static cleanObject(input) {
    if (!input || input instanceof Stream) return input;
    if (Array.isArray(input)) {
      for (let i = input.length - 1; i >= 0; i--) {
        const value = input[i];
        if (value === null || value === undefined) input.splice(i, 1);
        else if (isObjectTag(value) || Array.isArray(value)) APIHelper.cleanObject(value);
      }
      return input;
    }
    for (const key of Object.keys(input)) {
      const value = input[key];
      if (value === null || value === undefined) delete input[key];
      else if (isObjectTag(value) || Array.isArray(value)) APIHelper.cleanObject(value);
    }
    return input;
  }

  /**
   * Copies the own enumerable properties of `second` onto `first` (modified and returned).
   * @param {object} first
   * @param {object} [second]
   * @returns {object}
   */
  static merge(first, second) {
    if (!first) return first;
    if (second !== undefined && second !== null) Object.assign(first, second);
    return first;
  }

  /**
   * Whether every item of the array is a string, number, boolean, null or undefined.
   * @param {unknown[]} value
   * @returns {boolean}
   */
  static isPrimitiveArray(value) {
    if (!Array.isArray(value)) return false;
    return value.every((item) => item === null || item === undefined
      || typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean'
      || item instanceof String || item instanceof Number || item instanceof Boolean);
  }

  /**
   * Flattens `obj` into form fields `[{ key, value }]` (nested keys as `a[b]`, lists as `a[0]`;
   * streams kept as values; null and undefined skipped). Appends to `keys` when given.
   * @param {object} obj
   * @param {{ key: string, value: unknown }[]} [keys]
   * @returns {{ key: string, value: unknown }[] | null}
   */
  static formDataEncodeObject(obj, keys) {
    const out = keys || [];
    if (!obj) return null;
    for (const name of Object.keys(obj)) {
      const value = obj[name];
      if (value instanceof Stream) {
        out.push({ key: name, value });
      } else if (Array.isArray(value)) {
        value.forEach((item, i) => APIHelper.formDataEncodeObject({ [`${name}[${i}]`]: item }, out));
      } else if (value instanceof Object) {
        for (const sub of Object.keys(value)) APIHelper.formDataEncodeObject({ [`${name}[${sub}]`]: value[sub] }, out);
      } else if (value !== undefined && value !== null) {
        out.push({ key: name, value });
      }
    }
    return out;
  }

  /**
   * `obj` as an application/x-www-form-urlencoded string (see formDataEncodeObject).
   * @param {object} obj
   * @returns {string | null}
   */
  static urlEncodeObject(obj) {
    if (!obj) return null;
    return APIHelper.formDataEncodeObject(obj)
      .map(({ key, value }) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
      .join('&');
  }

  /**
   * A date as text: 'unixtimestamp' (ms), 'rfc1123', 'rfc3339' (ISO 8601) or a date
   * (YYYY-MM-DD, the default). Takes a Date, or an object with `format()` (a moment) for the
   * original's formats; null for null or undefined.
   * @param {Date | { format(f?: string): string, toDate?(): Date } | null | undefined} value
   * @param {string} [type]
   * @returns {string | number | null}
   */
  static stringifyDateTime(value, type) {
    if (value === null || value === undefined) return null;
    const date = value instanceof Date ? value : typeof value.toDate === 'function' ? value.toDate() : null;
    if (date === null) return type === 'rfc3339' ? value.format() : value.format('YYYY-MM-DD');
    switch (type) {
      case 'unixtimestamp': return date.getTime();
      case 'rfc1123': return date.toUTCString();
      case 'rfc3339': return typeof value.format === 'function' ? value.format() : date.toISOString();
      default: return typeof value.format === 'function' ? value.format('YYYY-MM-DD') : date.toISOString().slice(0, 10);
    }
  }
}

module.exports = APIHelper;
