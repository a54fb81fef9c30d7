'use strict';

// The original SDK's path lib/Controllers/FacebookController: the same class as the package's root export.
module.exports = require('../compat').FacebookController;
