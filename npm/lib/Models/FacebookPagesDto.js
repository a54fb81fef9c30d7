'use strict';

// The original SDK's path lib/Models/FacebookPagesDto: the same class as the package's root export.
module.exports = require('../models').models.FacebookPagesDto;
