/**
 * KAITO domain model for Backstage: Workspace types and normalization,
 * readiness, model catalog, SKU table, GPU fit, manifest builders and
 * validation, catalog annotations, permissions and chat types.
 * Isomorphic: no I/O.
 *
 * @packageDocumentation
 */

export * from './types';
export * from './errors';
export * from './workspace';
export * from './kinds';
export * from './annotations';
export * from './ragAnnotations';
export { dns1123LabelProblem, dns1123SubdomainProblem } from './dns';
export * from './permissions';
export * from './readiness';
export * from './catalog/models';
export * from './catalog/skus';
export * from './catalog/prices';
export * from './catalog/cost';
export * from './catalog/similar';
export * from './catalog/answers';
export {
  PRICE_TABLE_AS_OF,
  PRICE_TABLE_SOURCE,
  PRICE_TABLE_CURRENCY,
} from './catalog/priceData';
export * from './fit';
export * from './manifests/validate';
export type {
  BuiltWorkspace,
  CommonBuildInput,
  WorkspaceBuildInput,
} from './manifests/common';
export * from './manifests/advice';
export * from './manifests/inference';
export * from './manifests/tuning';
export * from './manifests/ragengine';
export { KAITO_BYPASS_RESOURCE_CHECKS_ANNOTATION } from './manifests/rules/resource';
export { TUNABLE_MODELS } from './manifests/rules/tuning';
export * from './chat/schema';
export * from './chat/legacy';
export * from './chat/tokenBudget';
export * from './chat/conversationSources';
