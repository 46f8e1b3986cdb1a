// The Jest configuration StrykerJS runs: Backstage's, as `backstage-cli package test` uses it.
module.exports = require('@backstage/cli/config/jest');
