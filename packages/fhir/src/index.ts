// mappings: loading, compiling and running them
export { DEFAULT_MAPPINGS_DIR, loadMappings, mappingsFromFiles, readMappingFiles, type MappingFile } from './load.js';
export { Mappings, MappingError, type CompileOptions, type ResourceLocation } from './mappings.js';
export type { FhirResource } from './engine/to-fhir.js';
export type { FromFhirOptions, FromFhirResult } from './engine/from-fhir.js';
export type { CompileProblem, ResourcePlan } from './engine/plan.js';

// the mapping language
export type * from './mapping/model.js';
export { readMappingDocument, MappingFileError } from './mapping/read-mapping.js';
export { parseFhirPath, parseOpenEhrPath, MappingSyntaxError } from './mapping/paths.js';
export { fhirToRm, rmToFhir, toFhirDateTime } from './mapping/convert.js';
export { systemOf, terminologyOf } from './mapping/terminology.js';

// ids and provenance
export {
  compositionResourceId,
  compositionUrl,
  openehrSource,
  parseResourceId,
  subjectEhrId,
  TEMPLATE_TAG_SYSTEM,
  type ResourceIdParts,
  type VersionContext,
} from './resources/ids.js';

// search
export { COMMON_PARAMETERS, SEARCH_PARAMETERS, parametersOf, type SearchParameterDefinition, type SearchParamType } from './search/definitions.js';
export { parseSearch, printable, type Criterion, type ParseSearchOptions, type ReferenceValue, type SearchParams, type SearchRequest, type SortKey, type TokenValue } from './search/parse.js';
export { DATE_PREFIXES, dateMatches, dateRange, parseDateValue, type DatePrefix, type DateRange, type DateValue } from './search/dates.js';
export type { MappingTargets, OpenEhrCondition, OpenEhrLocation, ParameterTargets, SearchTarget } from './search/targets.js';
export type { CapabilityOptions, CapabilityResource, TypeInteraction } from './search/capability.js';

// FHIR Connect
export { readFhirConnect, type EntryReport, type FhirConnectFile } from './fhir-connect/read-fhir-connect.js';
export { fhirConnectReport, type FhirConnectReport, type FileReport, type NotExecuted } from './fhir-connect/report.js';

// the FHIR R4 element table
export { fhirElement, fhirElements, isMappedResourceType, type FhirElement } from './model/r4-model.js';
