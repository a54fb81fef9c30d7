'use strict';

// The original SDK's path lib/ModelFactory: makes an empty model instance by class name.

const { models } = require('./models');

class ModelFactory {
  /**
   * A new, empty instance of the model class named `modelName`.
   * @param {string} modelName e.g. 'BaseMessageDto'
   * @returns {import('./models').Model}
   * @throws {TypeError} for a name that is not a model of this SDK
   */
  static getInstance(modelName) {
    const cls = Object.prototype.hasOwnProperty.call(models, modelName) ? models[modelName] : undefined;
    if (cls === undefined) throw new TypeError(`${modelName} is not a model of this SDK`);
    return new cls();
  }
}

module.exports = ModelFactory;
