'use strict';

// The original SDK's path lib/configuration: the same object as the root export's Configuration.
module.exports = require('./compat').Configuration;
