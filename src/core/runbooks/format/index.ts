/**
 * The runbook file format: parsing and validation, parameters and `${…}`
 * substitution, the published JSON Schema, and loading the library.
 */
export { loadRunbooks, runbooksFor, type LoadedRunbooks, type LoadIssue } from './load';
export {
  bindParams,
  checkParamValue,
  IMPLIED_PARAMS,
  interpolate,
  interpolateText,
  InterpolationError,
  paramsOf,
  WORKLOAD_KINDS,
  type ParamIssue,
  type ParamValues,
} from './params';
export { defaultId, MAX_RUNBOOK_BYTES, parseRunbook, type ParsedStep, type ParseResult } from './parse';
export { API_VERSION, KIND, parseDuration, runbookJsonSchema, STEP_EXAMPLES, STEP_TYPES, type NodeLoop } from './schema';
