'use strict';

// The original SDK's path lib/Models/BaseModel: the base class of every model.
module.exports = require('../models').Model;
