export type * from './opt/model.js';
export { parseOpt, type ParseOptOptions } from './opt/parse-opt.js';
export { resolveInternalRef } from './opt/internal-refs.js';
export { resolveArchetypePath } from './opt/template-path.js';
export type * from './webtemplate/model.js';
export { toWebTemplate, type WebTemplateOptions } from './webtemplate/to-web-template.js';
export { validateComposition, type ValidationOptions, type TerminologyCheck } from './validation/validate-composition.js';
