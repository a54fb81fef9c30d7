'use strict';

// The original SDK's path lib/Controllers/ConfigurationController: the same class as the package's root export.
module.exports = require('../compat').ConfigurationController;
