export type * from './opt/model.js';
export { parseOpt, type ParseOptOptions } from './opt/parse-opt.js';
export { resolveInternalRef } from './opt/internal-refs.js';
export { resolveArchetypePath } from './opt/template-path.js';
export type * from './webtemplate/model.js';
export { toWebTemplate, type WebTemplateOptions } from './webtemplate/to-web-template.js';
export { validateComposition, type ValidationOptions, type TerminologyCheck } from './validation/validate-composition.js';
export type { FlatComposition, FlatValue } from './flat/flat-tree.js';
export type { TemplateSource } from './flat/template-source.js';
export { flatToComposition } from './flat/flat-to-composition.js';
export { compositionToFlat } from './flat/composition-to-flat.js';
export {
  flatToStructured,
  structuredToFlat,
  structuredToComposition,
  compositionToStructured,
  type StructuredComposition,
} from './flat/structured.js';
export { exampleComposition, exampleFlat, type ExampleOptions } from './example/example-composition.js';
