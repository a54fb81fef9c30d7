'use strict';

// The original SDK's path lib/LogConfig: the same class as the root export's Logger.
module.exports = require('./compat').Logger;
