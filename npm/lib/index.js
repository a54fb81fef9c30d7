'use strict';

// The original SDK's entry point lib/index.js (its package "main"): the package's root export.
module.exports = require('../index.js');
