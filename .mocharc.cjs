// Test configuration: compiled tests beside the code of every package.
// CI sets CI=true, which forbids `.only`.
module.exports = {
  spec: ['packages/*/dist/**/*.test.js'],
  require: ['packages/store/dist/testing/mocha-hooks.js'],
  forbidOnly: Boolean(process.env.CI),
  timeout: 30000,
  reporter: 'spec',
};
