import type { ValidationIssue, WorkspaceRuleOverride } from '../errors';
import {
  checkAdapterCount,
  checkAnnotationValues,
  checkReservedSelector,
} from './rules/admission';
import { KAITO_RUNTIME_ANNOTATION } from '../workspace';
import { Issues, describeValue, isObj, unknownKeys } from './rules/issues';
import { checkMetadata } from './rules/metadata';
import {
  checkResource,
  KAITO_BYPASS_RESOURCE_CHECKS_ANNOTATION,
} from './rules/resource';
import { checkInference } from './rules/inference';
import { checkTuning } from './rules/tuning';
import { checkImmutable } from './rules/immutable';

export interface ValidateWorkspaceOptions {
  /** The stored object, for KAITO's immutable-field checks on update. */
  previous?: unknown;
  /**
   * Node auto-provisioning (default true): instanceType is required. When
   * false (BYO nodes) instanceType must be empty.
   */
  nodeAutoProvisioning?: boolean;
  /**
   * KAITO feature gates of the target cluster, e.g.
   * `{ disableNodeAutoProvisioning: true }` (wins over `nodeAutoProvisioning`).
   */
  featureGates?: Record<string, boolean>;
  /**
   * Project rules stricter than KAITO's webhook that the user chose to
   * override; overridden warnings are dropped from the result.
   */
  overrides?: Partial<Record<WorkspaceRuleOverride, boolean>>;
}

const TOP_LEVEL_KEYS = [
  'apiVersion',
  'kind',
  'metadata',
  'resource',
  'inference',
  'tuning',
  'status',
];

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/**
 * Validates a Workspace manifest against the CRD schema and KAITO's admission
 * webhook rules, so a bad manifest is caught before it reaches a cluster.
 * Returns every problem found (field + fix); [] means valid. Never throws.
 */
export function validateWorkspace(
  manifest: unknown,
  opts: ValidateWorkspaceOptions = {},
): ValidationIssue[] {
  const issues = new Issues();
  try {
    validateInto(issues, manifest, opts);
  } catch (e) {
    // A rule bug must not surface as a crash to the caller.
    issues.add(
      'manifest',
      `could not validate the manifest (${
        e instanceof Error ? e.message : String(e)
      })`,
    );
  }
  return issues.list.filter(i => !(i.override && opts.overrides?.[i.override]));
}

/** Whether KAITO provisions nodes: the feature gate wins over the option; default on. */
function napOf(opts: ValidateWorkspaceOptions): boolean {
  const gate = opts.featureGates?.disableNodeAutoProvisioning;
  if (typeof gate === 'boolean') return !gate;
  return opts.nodeAutoProvisioning ?? true;
}

function validateInto(
  issues: Issues,
  manifest: unknown,
  opts: ValidateWorkspaceOptions,
): void {
  if (!isObj(manifest)) {
    issues.add(
      'manifest',
      `a Workspace manifest must be an object, got ${describeValue(manifest)}`,
    );
    return;
  }
  let version: 'v1beta1' | 'v1alpha1' = 'v1beta1';
  if (manifest.apiVersion === 'kaito.sh/v1alpha1') version = 'v1alpha1';
  else if (manifest.apiVersion !== 'kaito.sh/v1beta1') {
    issues.add(
      'apiVersion',
      manifest.apiVersion === undefined
        ? 'is required; use kaito.sh/v1beta1'
        : `${describeValue(
            manifest.apiVersion,
          )} is not a Workspace version; use kaito.sh/v1beta1 (or kaito.sh/v1alpha1)`,
    );
  }
  if (manifest.kind !== 'Workspace') {
    issues.add(
      'kind',
      `must be "Workspace", got ${describeValue(manifest.kind)}`,
    );
  }
  if (manifest.spec !== undefined) {
    issues.add(
      'spec',
      'a KAITO Workspace has no spec; move resource, inference and tuning to the top level of the object, next to metadata',
    );
  }
  unknownKeys(issues, '', { ...manifest, spec: undefined }, [
    ...TOP_LEVEL_KEYS,
    'spec',
  ]);

  const metadata = checkMetadata(issues, manifest.metadata);
  const annotations = isObj(metadata?.annotations)
    ? (metadata!.annotations as Record<string, unknown>)
    : {};
  const runtime =
    annotations[KAITO_RUNTIME_ANNOTATION] === 'transformers'
      ? 'transformers'
      : 'vllm';
  const bypass =
    typeof annotations[KAITO_BYPASS_RESOURCE_CHECKS_ANNOTATION] === 'string';

  const hasInference = present(manifest.inference);
  const hasTuning = present(manifest.tuning);
  if (hasInference === hasTuning) {
    issues.add(
      hasInference ? 'tuning' : 'inference',
      hasInference
        ? 'Either inference or tuning must be specified, but not both; split them into two Workspaces'
        : 'Either inference or tuning must be specified; add inference.preset.name to serve a model',
    );
  }
  let mode: 'inference' | 'tuning' | undefined;
  let preset: ReturnType<typeof checkInference> = {};
  if (hasInference) {
    mode = 'inference';
    preset = checkInference(issues, manifest.inference, version, runtime);
  }
  if (hasTuning) {
    const tuningPreset = checkTuning(issues, manifest.tuning, version);
    if (!hasInference) {
      mode = 'tuning';
      preset = tuningPreset;
    }
  }

  checkAnnotationValues(issues, annotations);
  checkReservedSelector(issues, manifest.resource);
  if (hasInference) checkAdapterCount(issues, manifest.inference);
  const nap = napOf(opts);
  checkResource(issues, manifest.resource, {
    version,
    nodeAutoProvisioning: nap,
    update: opts.previous !== undefined,
    runtime,
    mode,
    model: preset.model,
    bypassResourceChecks: bypass,
  });

  if (opts.previous !== undefined)
    checkImmutable(issues, manifest, opts.previous, nap);
}

/** Formats issues as one readable paragraph (for logs and error bodies). */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map(i => `${i.field || '(manifest)'}: ${i.message}`).join('\n');
}
