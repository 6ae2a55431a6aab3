export * from './ast/nodes.js';
export { parseAql } from './parse/parse.js';
