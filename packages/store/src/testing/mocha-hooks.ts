/** Mocha root hooks: stop the test database (if one was started) after the run. */
import { stopTestDatabase } from './database.js';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopTestDatabase();
  },
};
