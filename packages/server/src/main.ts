/** `npm start`: the CDR server. Configuration comes from the environment (see README). */
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startCdr } from './runtime.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);

try {
  const cdr = await startCdr(config, logger);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'signal received');
    cdr.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
} catch (error) {
  logger.fatal({ err: error }, 'the CDR could not start');
  process.exit(1);
}
