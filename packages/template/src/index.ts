export type * from './opt/model.js';
export { parseOpt, type ParseOptOptions } from './opt/parse-opt.js';
export { resolveInternalRef } from './opt/internal-refs.js';
export { resolveArchetypePath } from './opt/template-path.js';
