import { KaitoValidationError, type ValidationIssue } from '../errors';
import type { RAGEngine, RAGEngineSpec } from '../types/ragengine';
import { printable } from '../dns';
import { checkMetadata, checkLabels } from './rules/metadata';
import {
  Issues,
  checkImageRef,
  describeValue,
  isObj,
  optObj,
  optObjectName,
  optString,
  unknownKeys,
} from './rules/issues';
import { findSku } from '../catalog/skus';
import { normalizeBuildInput } from './normalize';
import {
  buildMetadata,
  buildSelector,
  dedupe,
  inputObject,
  prune,
  type CommonBuildInput,
} from './common';

function checkServiceUrl(issues: Issues, field: string, value: unknown): void {
  const url = optString(issues, field, value);
  if (url === undefined) return;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      issues.add(
        field,
        `URL scheme "${printable(
          u.protocol,
        )}" is not supported; use http:// or https://`,
      );
    }
  } catch {
    issues.add(
      field,
      `"${printable(
        url,
      )}" is not a valid URL; use e.g. http://workspace-phi-4-mini/v1/chat/completions`,
    );
  }
}

function checkCompute(issues: Issues, value: unknown, needed: boolean): void {
  const field = 'spec.compute';
  if (value === undefined) {
    if (needed)
      issues.add(
        field,
        'is required for a local embedding model; set compute.instanceType and compute.labelSelector',
      );
    return;
  }
  const c = optObj(issues, field, value);
  if (!c) return;
  unknownKeys(issues, field, c, [
    'count',
    'instanceType',
    'labelSelector',
    'preferredNodes',
    'partition',
  ]);
  const it = optString(issues, `${field}.instanceType`, c.instanceType);
  if (it) {
    const sku = findSku(it);
    if (sku && !sku.supported)
      issues.add(
        `${field}.instanceType`,
        `Unsupported instance type ${sku.instanceType}. ${sku.unsupportedReason}`,
      );
  }
  const sel = optObj(issues, `${field}.labelSelector`, c.labelSelector);
  if (c.labelSelector === undefined)
    issues.add(
      `${field}.labelSelector`,
      'is required; add matchLabels such as {apps: <ragengine-name>}',
    );
  if (sel)
    checkLabels(issues, `${field}.labelSelector.matchLabels`, sel.matchLabels);
}

/** Validates a RAGEngine manifest (`kaito.sh/v1beta1`, with `.spec`). Never throws. */
export function validateRagEngine(manifest: unknown): ValidationIssue[] {
  const issues = new Issues();
  if (!isObj(manifest)) {
    issues.add(
      'manifest',
      `a RAGEngine manifest must be an object, got ${describeValue(manifest)}`,
    );
    return issues.list;
  }
  if (
    manifest.apiVersion !== 'kaito.sh/v1beta1' &&
    manifest.apiVersion !== 'kaito.sh/v1alpha1'
  ) {
    issues.add(
      'apiVersion',
      `${describeValue(
        manifest.apiVersion,
      )} is not a RAGEngine version; use kaito.sh/v1beta1`,
    );
  }
  if (manifest.kind !== 'RAGEngine')
    issues.add(
      'kind',
      `must be "RAGEngine", got ${describeValue(manifest.kind)}`,
    );
  checkMetadata(issues, manifest.metadata);
  const spec = optObj(issues, 'spec', manifest.spec);
  if (manifest.spec === undefined)
    issues.add('spec', 'is required; a RAGEngine needs spec.embedding');
  if (!spec) return issues.list;
  unknownKeys(issues, 'spec', spec, [
    'compute',
    'storage',
    'embedding',
    'inferenceService',
    'guardrails',
    'indexServiceName',
    'queryServiceName',
  ]);

  const embedding = optObj(issues, 'spec.embedding', spec.embedding);
  let local = false;
  if (spec.embedding === undefined) {
    issues.add(
      'spec.embedding',
      'is required; use embedding.local.modelID (e.g. BAAI/bge-small-en-v1.5) or embedding.remote.url',
    );
  }
  if (embedding) {
    unknownKeys(issues, 'spec.embedding', embedding, ['local', 'remote']);
    const hasLocal = embedding.local !== undefined;
    const hasRemote = embedding.remote !== undefined;
    if (hasLocal === hasRemote) {
      issues.add(
        'spec.embedding',
        hasLocal
          ? 'set either local or remote, not both'
          : 'needs local (an embedding model run in the cluster) or remote (an embedding service URL)',
      );
    }
    const l = optObj(issues, 'spec.embedding.local', embedding.local);
    if (l) {
      local = true;
      unknownKeys(issues, 'spec.embedding.local', l, [
        'image',
        'imagePullSecret',
        'modelID',
        'modelAccessSecret',
      ]);
      const modelID = optString(
        issues,
        'spec.embedding.local.modelID',
        l.modelID,
      );
      const image = optString(issues, 'spec.embedding.local.image', l.image);
      if (!modelID && !image)
        issues.add(
          'spec.embedding.local.modelID',
          'is required (or an image); e.g. BAAI/bge-small-en-v1.5',
        );
      if (image !== undefined)
        checkImageRef(issues, 'spec.embedding.local.image', image);
      optObjectName(
        issues,
        'spec.embedding.local.imagePullSecret',
        l.imagePullSecret,
        'Secret name',
      );
      optObjectName(
        issues,
        'spec.embedding.local.modelAccessSecret',
        l.modelAccessSecret,
        'Secret name',
      );
    }
    const r = optObj(issues, 'spec.embedding.remote', embedding.remote);
    if (r) {
      unknownKeys(issues, 'spec.embedding.remote', r, ['url', 'accessSecret']);
      if (r.url === undefined)
        issues.add(
          'spec.embedding.remote.url',
          'is required; give the embedding service URL',
        );
      checkServiceUrl(issues, 'spec.embedding.remote.url', r.url);
      optObjectName(
        issues,
        'spec.embedding.remote.accessSecret',
        r.accessSecret,
        'Secret name',
      );
    }
  }
  checkCompute(issues, spec.compute, local);

  const svc = optObj(issues, 'spec.inferenceService', spec.inferenceService);
  if (svc) {
    unknownKeys(issues, 'spec.inferenceService', svc, [
      'url',
      'accessSecret',
      'contextWindowSize',
    ]);
    if (svc.url === undefined)
      issues.add(
        'spec.inferenceService.url',
        "is required; point it at a Workspace's /v1/chat/completions",
      );
    checkServiceUrl(issues, 'spec.inferenceService.url', svc.url);
    optObjectName(
      issues,
      'spec.inferenceService.accessSecret',
      svc.accessSecret,
      'Secret name',
    );
    if (
      !Number.isInteger(svc.contextWindowSize) ||
      (svc.contextWindowSize as number) < 1
    ) {
      issues.add(
        'spec.inferenceService.contextWindowSize',
        `is required: the model's context window in tokens (a whole number >= 1), got ${describeValue(
          svc.contextWindowSize,
        )}`,
      );
    }
  }
  const storage = optObj(issues, 'spec.storage', spec.storage);
  if (storage) {
    unknownKeys(issues, 'spec.storage', storage, [
      'persistentVolume',
      'vectorDB',
    ]);
    const pv = optObj(
      issues,
      'spec.storage.persistentVolume',
      storage.persistentVolume,
    );
    if (pv) {
      if (pv.persistentVolumeClaim === undefined)
        issues.add(
          'spec.storage.persistentVolume.persistentVolumeClaim',
          'is required; name an existing PVC',
        );
      optObjectName(
        issues,
        'spec.storage.persistentVolume.persistentVolumeClaim',
        pv.persistentVolumeClaim,
        'PVC name',
      );
      const mp = optString(
        issues,
        'spec.storage.persistentVolume.mountPath',
        pv.mountPath,
      );
      if (mp !== undefined && !mp.startsWith('/'))
        issues.add(
          'spec.storage.persistentVolume.mountPath',
          'must be an absolute path such as /mnt/data',
        );
    }
    const db = optObj(issues, 'spec.storage.vectorDB', storage.vectorDB);
    if (db) {
      if (db.engine !== 'qdrant')
        issues.add(
          'spec.storage.vectorDB.engine',
          `must be "qdrant", got ${describeValue(db.engine)}`,
        );
      if (db.url === undefined)
        issues.add('spec.storage.vectorDB.url', 'is required');
      checkServiceUrl(issues, 'spec.storage.vectorDB.url', db.url);
      optObjectName(
        issues,
        'spec.storage.vectorDB.accessSecret',
        db.accessSecret,
        'Secret name',
      );
    }
  }
  const g = optObj(issues, 'spec.guardrails', spec.guardrails);
  if (g) {
    if (g.enabled !== undefined && typeof g.enabled !== 'boolean')
      issues.add('spec.guardrails.enabled', 'must be true or false');
    const ref = optObj(issues, 'spec.guardrails.configMapRef', g.configMapRef);
    if (ref) {
      if (ref.name === undefined)
        issues.add('spec.guardrails.configMapRef.name', 'is required');
      optObjectName(
        issues,
        'spec.guardrails.configMapRef.name',
        ref.name,
        'ConfigMap name',
      );
    }
  }
  return issues.list;
}

export interface RagEngineInput extends CommonBuildInput {
  /** Embedding model: local (in-cluster) or remote. */
  embedding:
    | {
        local: {
          modelID: string;
          image?: string;
          imagePullSecret?: string;
          modelAccessSecret?: string;
        };
      }
    | { remote: { url: string; accessSecret?: string } };
  /** LLM used to answer; omit for retrieve-only. */
  inferenceService?: {
    url: string;
    accessSecret?: string;
    contextWindowSize: number;
  };
  storage?: RAGEngineSpec['storage'];
  guardrails?: RAGEngineSpec['guardrails'];
}

/** Builds a `kaito.sh/v1beta1` RAGEngine. Throws KaitoValidationError on bad input. */
export function buildRagEngine(input: RagEngineInput): RAGEngine {
  const issues = new Issues();
  const raw = inputObject(input, issues) as unknown as RagEngineInput;
  if (issues.list.length)
    throw new KaitoValidationError(issues.list, 'RAGEngine input');
  // Write the size as the SKU table spells it, as the Workspace builders do.
  const i = normalizeBuildInput(raw);
  const local = isObj(i.embedding) && 'local' in i.embedding;
  const compute =
    local || i.instanceType !== undefined
      ? {
          ...(i.nodeAutoProvisioning === false
            ? {}
            : { instanceType: i.instanceType }),
          labelSelector: buildSelector(i),
        }
      : undefined;
  if (local && (i.nodeAutoProvisioning ?? true) && !i.instanceType) {
    issues.add(
      'instanceType',
      'is required for a local embedding model with node auto-provisioning; e.g. Standard_NC24ads_A100_v4',
    );
  }
  const manifest = prune({
    apiVersion: 'kaito.sh/v1beta1' as const,
    kind: 'RAGEngine' as const,
    metadata: buildMetadata(i, issues),
    spec: {
      compute,
      storage: i.storage,
      embedding: i.embedding,
      inferenceService: i.inferenceService,
      guardrails: i.guardrails,
    },
  });
  const all = dedupe([...issues.list, ...validateRagEngine(manifest)]);
  if (all.length) throw new KaitoValidationError(all, 'RAGEngine');
  return manifest as RAGEngine;
}
