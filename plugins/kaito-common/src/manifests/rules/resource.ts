import { findSku, SKU_TABLE } from '../../catalog/skus';
import type { ModelInfo } from '../../catalog/models';
import { describeSizes, similarInstanceTypes } from '../../catalog/similar';
import { printable } from '../../dns';
import { canonicalInstanceType } from '../normalize';
import { labelKeyProblem, labelValueProblem, checkLabels } from './metadata';
import {
  Issues,
  Obj,
  describeValue,
  isObj,
  optObj,
  optString,
  optStringArray,
  unknownKeys,
} from './issues';

/** Annotation that skips KAITO's GPU-memory admission check. */
export const KAITO_BYPASS_RESOURCE_CHECKS_ANNOTATION =
  'kaito.sh/bypass-resource-checks';

export interface ResourceContext {
  version: 'v1beta1' | 'v1alpha1';
  nodeAutoProvisioning: boolean;
  runtime: 'vllm' | 'transformers';
  mode: 'inference' | 'tuning' | undefined;
  model?: ModelInfo;
  bypassResourceChecks: boolean;
  /** An update: without node auto-provisioning an old instanceType may stay (the update rules judge it). */
  update?: boolean;
}

const RESOURCE_KEYS = [
  'count',
  'instanceType',
  'labelSelector',
  'preferredNodes',
  'partition',
];
const MIG_PROFILE = /^[1-9]\d*g\.[1-9]\d*gb$/;

/** Azure sizes KAITO's webhook lets through by prefix even when not in its table. */
function passesAzurePrefixCheck(instanceType: string): boolean {
  return /^Standard_[ND]/.test(instanceType);
}

/** " did you mean X?" naming the closest supported sizes, or "". */
function didYouMean(instanceType: string): string {
  const similar = similarInstanceTypes(instanceType);
  return similar.length ? ` did you mean ${describeSizes(similar)}?` : '';
}

function checkInstanceType(
  issues: Issues,
  value: unknown,
  ctx: ResourceContext,
): string | undefined {
  const field = 'resource.instanceType';
  const instanceType = optString(issues, field, value);
  if (!ctx.nodeAutoProvisioning) {
    if (instanceType && !ctx.update) {
      issues.add(
        field,
        'must be empty when node auto-provisioning is disabled (BYO nodes); remove instanceType and select your GPU nodes with resource.labelSelector',
      );
    }
    return undefined;
  }
  if (instanceType === undefined || instanceType.trim() === '') {
    if (value === undefined || typeof value === 'string') {
      issues.add(
        field,
        'is required when node auto-provisioning is enabled; set a GPU size such as Standard_NC24ads_A100_v4',
      );
    }
    return undefined;
  }
  if (instanceType !== instanceType.trim()) {
    issues.add(
      field,
      `"${printable(
        instanceType,
      )}" has leading or trailing spaces, which KAITO does not strip, so no node of that size would be provisioned; use "${printable(
        canonicalInstanceType(instanceType),
      )}"`,
    );
    return undefined;
  }
  const sku = findSku(instanceType);
  if (sku && !sku.supported) {
    issues.add(
      field,
      `Unsupported instance type ${sku.instanceType}. ${sku.unsupportedReason}`,
    );
  } else if (!sku && passesAzurePrefixCheck(instanceType)) {
    // KAITO admits any Standard_N…/Standard_D… name; this project warns about sizes it does not know.
    issues.warn(
      field,
      `${printable(instanceType)} is not in KAITO's SKU table;${didYouMean(
        instanceType,
      )} KAITO's webhook admits it by its Standard_N/D prefix, but node estimation and fit checks cannot run, and a misspelt size fails only at provisioning (override "unknownInstanceType" to use it anyway)`,
      'unknownInstanceType',
    );
  } else if (!sku && !passesAzurePrefixCheck(instanceType)) {
    const examples = SKU_TABLE.filter(s => s.supported && s.cloud === 'azure')
      .slice(0, 5)
      .map(s => s.instanceType)
      .join(', ');
    const hint = didYouMean(instanceType);
    issues.add(
      field,
      `Unsupported instance type "${printable(instanceType)}";${
        hint ? `${hint} Otherwise use` : ' use'
      } a GPU size from KAITO's SKU table, e.g. ${examples}`,
    );
  }
  return instanceType;
}

function checkLabelSelector(issues: Issues, value: unknown): void {
  const field = 'resource.labelSelector';
  if (value === undefined) {
    issues.add(
      field,
      'is required; add matchLabels such as {apps: <workspace-name>} so KAITO can label and select the GPU nodes',
    );
    return;
  }
  const sel = optObj(issues, field, value);
  if (!sel) return;
  unknownKeys(issues, field, sel, ['matchLabels', 'matchExpressions']);
  checkLabels(issues, `${field}.matchLabels`, sel.matchLabels);
  let expressionCount = 0;
  if (sel.matchExpressions !== undefined) {
    if (!Array.isArray(sel.matchExpressions)) {
      issues.add(
        `${field}.matchExpressions`,
        `must be a list, got ${describeValue(sel.matchExpressions)}`,
      );
    } else {
      expressionCount = sel.matchExpressions.length;
      sel.matchExpressions.forEach((e, i) => {
        const f = `${field}.matchExpressions[${i}]`;
        if (!isObj(e)) {
          issues.add(
            f,
            `must be an object {key, operator, values}, got ${describeValue(
              e,
            )}`,
          );
          return;
        }
        if (typeof e.key !== 'string' || e.key === '')
          issues.add(`${f}.key`, 'is required');
        else {
          const p = labelKeyProblem(e.key);
          if (p) issues.add(`${f}.key`, p);
        }
        if (e.operator !== 'In') {
          issues.add(
            `${f}.operator`,
            `KAITO only allows matchLabels or 'In' matchExpressions, got operator ${describeValue(
              e.operator,
            )}; rewrite it as operator: In`,
          );
        }
        const values = optStringArray(issues, `${f}.values`, e.values);
        if (e.operator === 'In' && (!values || values.length === 0)) {
          issues.add(
            `${f}.values`,
            "an 'In' expression needs at least one value",
          );
        }
        values?.forEach((v, j) => {
          const p = labelValueProblem(v);
          if (p) issues.add(`${f}.values[${j}]`, p);
        });
      });
    }
  }
  const labelCount = isObj(sel.matchLabels)
    ? Object.keys(sel.matchLabels).length
    : 0;
  if (labelCount + expressionCount === 0) {
    issues.add(
      field,
      'is empty; add at least one matchLabels entry (e.g. apps: <workspace-name>) so KAITO selects only its GPU nodes',
    );
  }
}

function checkPartition(
  issues: Issues,
  value: unknown,
  ctx: ResourceContext,
): void {
  const field = 'resource.partition';
  if (value === undefined) return;
  if (ctx.version === 'v1alpha1') {
    issues.add(
      field,
      'exists only in kaito.sh/v1beta1; change apiVersion to kaito.sh/v1beta1',
    );
    return;
  }
  const p = optObj(issues, field, value);
  if (!p) return;
  unknownKeys(issues, field, p, ['mode', 'profile', 'count']);
  if (ctx.nodeAutoProvisioning) {
    issues.add(
      field,
      'GPU partitioning works only with your own nodes (node auto-provisioning disabled); remove partition or switch to BYO nodes',
    );
  }
  if (p.mode !== 'mig' && p.mode !== 'accelerator') {
    issues.add(
      `${field}.mode`,
      `is required and must be "mig" or "accelerator", got ${describeValue(
        p.mode,
      )}`,
    );
  }
  if (p.mode === 'mig') {
    const profile = optString(issues, `${field}.profile`, p.profile);
    if (!profile)
      issues.add(
        `${field}.profile`,
        'is required in mig mode; give a MIG profile such as "1g.10gb"',
      );
    else if (!MIG_PROFILE.test(profile)) {
      issues.add(
        `${field}.profile`,
        `"${printable(
          profile,
        )}" is not a MIG profile; use the form "<n>g.<m>gb", e.g. "1g.10gb"`,
      );
    }
    if (p.count !== undefined)
      issues.add(
        `${field}.count`,
        'applies only to accelerator mode; remove it',
      );
  }
  if (p.mode === 'accelerator') {
    if (!Number.isInteger(p.count) || (p.count as number) < 1) {
      issues.add(
        `${field}.count`,
        `accelerator mode needs count, a whole number of GPUs >= 1, got ${describeValue(
          p.count,
        )}`,
      );
    }
    if (p.profile !== undefined)
      issues.add(`${field}.profile`, 'applies only to mig mode; remove it');
  }
}

/** Validates `resource` against KAITO's schema and webhook rules. */
export function checkResource(
  issues: Issues,
  value: unknown,
  ctx: ResourceContext,
): Obj | undefined {
  if (value === undefined) {
    issues.add(
      'resource',
      'is required; add resource.labelSelector (and resource.instanceType when KAITO provisions the nodes)',
    );
    return undefined;
  }
  const resource = optObj(issues, 'resource', value);
  if (!resource) return undefined;
  unknownKeys(issues, 'resource', resource, RESOURCE_KEYS);

  const instanceType = checkInstanceType(issues, resource.instanceType, ctx);
  checkLabelSelector(issues, resource.labelSelector);
  optStringArray(issues, 'resource.preferredNodes', resource.preferredNodes);
  checkPartition(issues, resource.partition, ctx);

  const count = resource.count;
  if (
    count !== undefined &&
    (!Number.isInteger(count) || (count as number) < 1)
  ) {
    issues.add(
      'resource.count',
      `must be a whole number >= 1, got ${describeValue(count)}`,
    );
  } else if (typeof count === 'number' && count > 1) {
    if (ctx.mode === 'tuning') {
      issues.add(
        'resource.count',
        'Tuning does not support multi-node configurations; set count to 1 and pick a larger instance type',
      );
    } else if (ctx.runtime === 'transformers') {
      issues.add(
        'resource.count',
        'Multi-node distributed inference is not supported with the Hugging Face Transformers runtime; set count to 1 with a larger instance type, or remove the kaito.sh/runtime annotation to use vLLM',
      );
    }
  }

  // KAITO's memory check applies to BYO and to the Transformers runtime.
  const sku = instanceType ? findSku(instanceType) : undefined;
  // Bypassing the memory check does not make the Transformers runtime span nodes.
  if (
    ctx.model &&
    sku?.supported &&
    ctx.runtime === 'transformers' &&
    ctx.bypassResourceChecks &&
    ctx.model.weightSizeGiB > sku.gpuMemoryGiB
  ) {
    issues.add(
      'resource.instanceType',
      `Multi-node distributed inference is not supported with Huggingface Transformers runtime: ${ctx.model.hfId} (${ctx.model.weightSizeGiB}Gi) is larger than one ${sku.instanceType} (${sku.gpuMemoryGiB}Gi), and kaito.sh/bypass-resource-checks does not change that; pick a larger size or use vLLM`,
    );
  }
  if (
    ctx.model &&
    sku?.supported &&
    ctx.runtime === 'transformers' &&
    !ctx.bypassResourceChecks &&
    sku.gpuMemoryGiB < ctx.model.weightSizeGiB
  ) {
    issues.add(
      'resource.instanceType',
      `Insufficient total GPU memory: ${sku.instanceType} has ${sku.gpuMemoryGiB}Gi in total, but ${ctx.model.hfId} needs at least ${ctx.model.weightSizeGiB}Gi; pick a larger size (or use vLLM, which can span several nodes)`,
    );
  }
  return resource;
}
