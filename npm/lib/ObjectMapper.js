'use strict';

// The original SDK's path lib/ObjectMapper: builds a model instance from parsed JSON, by class
// name, as the original's responses were built (every field set from its wire name, typed lists
// mapped item by item, other keys not copied). The SDK's own calls shape results in compat.js.

const ModelFactory = require('./ModelFactory');

class ObjectMapper {
  /**
   * A model instance of class `modelName` from `json` (null for null or undefined).
   * @param {unknown} json
   * @param {string} modelName
   */
  mapObject(json, modelName) {
    if (json === null || json === undefined) return null;
    return this.mapFields(json, ModelFactory.getInstance(modelName));
  }

  /**
   * Sets every field of `instance` from `json`: a typed list item by item, anything else as
   * received (undefined when absent or null).
   * @param {any} json
   * @param {import('./models').Model} instance
   */
  mapFields(json, instance) {
    for (const field of instance.constructor.mappingInfo()) {
      const value = json[field.realName];
      if (field.type !== undefined) {
        if (value !== null && value !== undefined && typeof value.map === 'function') {
          instance[field.name] = value.map((item) => this.mapObject(item, field.type));
        }
      } else {
        instance[field.name] = value === null ? undefined : value;
      }
    }
    return instance;
  }

  /**
   * A date from its wire text: a Date for 'unixtimestamp' and 'rfc1123', otherwise a Date
   * parsed from the text (the original returned a moment); null for null or undefined.
   * @param {string | number | null | undefined} value
   * @param {string} [type]
   */
  static parseDateTime(value, type) { // eslint-disable-line no-unused-vars
    if (value === null || value === undefined) return null;
    return new Date(value);
  }

  /** The discriminator field's wire name in a mapping table, or null (this API has none). */
  static getDiscriminatorFieldName(fieldMap) {
    if (fieldMap === null || fieldMap === undefined) return null;
    let name = null;
    for (const field of fieldMap) if (field.isDiscrim) name = field.realName;
    return name;
  }

  /** The discriminator's value in `json` (an own property of a non-array object), or null. */
  static getDiscriminatorFieldValue(json, discrimName) {
    if (json === null || json === undefined || discrimName === null || discrimName === undefined) return null;
    if (json instanceof Object && !Array.isArray(json) && Object.prototype.hasOwnProperty.call(json, discrimName)) {
      return json[discrimName];
    }
    return null;
  }

  /** The class name a discriminator value maps to, or null. */
  static getDiscriminatorClass(fieldMap, discrimValue) {
    if (discrimValue === null || discrimValue === undefined || fieldMap === null || fieldMap === undefined) return null;
    return Object.prototype.hasOwnProperty.call(fieldMap, discrimValue) ? fieldMap[discrimValue] : null;
  }
}

module.exports = ObjectMapper;
