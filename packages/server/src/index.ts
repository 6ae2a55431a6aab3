export { createApp, type AppDependencies } from './app.js';
export { loadConfig, getConfig, readConfig, type CdrConfig } from './config.js';
export { createLogger, silentLogger } from './logger.js';
export { startCdr, type RunningCdr } from './runtime.js';
