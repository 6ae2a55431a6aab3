export * from './mapping/model.js';
