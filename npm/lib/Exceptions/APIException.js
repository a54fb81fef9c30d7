'use strict';

// The original SDK's path lib/Exceptions/APIException: the same class as the root export.
module.exports = require('../errors').APIException;
