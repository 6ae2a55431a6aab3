export * from './model.js';
export * from './audit.js';
export * from './database.js';
export * from './pg-errors.js';
export * from './embedded.js';
export * from './migrate.js';
export * from './store.js';
export * from './templates.js';
