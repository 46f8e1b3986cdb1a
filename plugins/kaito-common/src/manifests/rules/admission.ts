import { printable } from '../../dns';
import { Issues, isObj, type Obj } from './issues';

/**
 * KAITO webhook rules (api/v1beta1/workspace_validation.go and labels.go at
 * v0.12.0) that the schema-level checks do not cover, in our own words.
 */

/** Label keys KAITO puts on its own NodeClaims, Nodes and NodePools (v0.12 `reservedSelectorLabelKeys`). */
export const KAITO_RESERVED_SELECTOR_LABELS = [
  'kaito.sh/workspace',
  'kaito.sh/workspacenamespace',
  'kaito.sh/ragengine',
  'kaito.sh/ragenginenamespace',
  'karpenter.kaito.sh/workspace-name',
  'karpenter.kaito.sh/workspace-namespace',
  'karpenter.kaito.sh/inferenceset',
  'karpenter.kaito.sh/inferenceset-namespace',
];

/** KAITO's `MaxAdaptersNumber`. */
export const MAX_ADAPTERS = 10;

const PERFORMANCE_MODES = ['balanced', 'interactivity', 'throughput'];
const NODE_IMAGE_FAMILIES = ['ubuntu', 'azurelinux'];

/** Values KAITO accepts for its behaviour annotations. */
export function checkAnnotationValues(issues: Issues, annotations: Obj): void {
  const mode = annotations['kaito.sh/performance-mode'];
  if (mode !== undefined && !PERFORMANCE_MODES.includes(String(mode))) {
    issues.add(
      'metadata.annotations[kaito.sh/performance-mode]',
      `"${printable(
        String(mode),
      )}" is not a valid performance mode; choose one of: ${PERFORMANCE_MODES.join(
        ', ',
      )}`,
    );
  }
  const local = annotations['kaito.sh/use-local-weights'];
  if (local !== undefined && local !== 'true' && local !== 'false') {
    issues.add(
      'metadata.annotations[kaito.sh/use-local-weights]',
      `"${printable(String(local))}" must be "true" or "false"`,
    );
  }
  const family = annotations['kaito.sh/node-image-family'];
  if (
    family !== undefined &&
    !NODE_IMAGE_FAMILIES.includes(String(family).trim().toLowerCase())
  ) {
    issues.add(
      'metadata.annotations[kaito.sh/node-image-family]',
      `"${printable(
        String(family),
      )}" is not a supported node image family; use ubuntu or azurelinux`,
    );
  }
}

/** A selector made only of KAITO's reserved labels selects nothing KAITO will use. */
export function checkReservedSelector(issues: Issues, resource: unknown): void {
  const sel = isObj(resource) ? resource.labelSelector : undefined;
  const labels =
    isObj(sel) && isObj(sel.matchLabels) ? Object.keys(sel.matchLabels) : [];
  if (
    labels.length > 0 &&
    labels.every(k => KAITO_RESERVED_SELECTOR_LABELS.includes(k))
  ) {
    issues.add(
      'resource.labelSelector.matchLabels',
      `matchLabels must contain at least one non-reserved label; ${labels.join(
        ', ',
      )} ${
        labels.length === 1 ? 'is' : 'are'
      } reserved by KAITO and ignored, so add your own, e.g. apps: <workspace-name>`,
    );
  }
}

/** At most ten adapters. */
export function checkAdapterCount(issues: Issues, inference: unknown): void {
  const adapters =
    isObj(inference) && Array.isArray(inference.adapters)
      ? inference.adapters
      : [];
  if (adapters.length > MAX_ADAPTERS) {
    issues.add(
      'inference.adapters',
      `Number of Adapters exceeds the maximum limit, maximum of ${MAX_ADAPTERS} allowed; you listed ${adapters.length}, so split them over several Workspaces`,
    );
  }
}
