'use strict';

// The original SDK's path lib/Models/MessageDto: the same class as the package's root export.
module.exports = require('../models').models.MessageDto;
