import { validateRagEngine } from '@kaito-backstage/plugin-kaito-common';
import type { FieldIssue } from './errors';
import { isRecord, KubeObject } from './types';

/**
 * RAGEngine admission as a real cluster does it: the CRD schema
 * (`kaito.sh_ragengines.yaml`) first, answered 422 Invalid; then KAITO's
 * knative webhook `validation.ragengine.kaito.sh`
 * (pkg/ragengine/webhooks), whose refusals the API server relays as 400
 * (see kaitoWebhook.ts). The webhook's rules are kaito-common's
 * `validateRagEngine` (warnings admitted, as KAITO admits them).
 */
export const RAGENGINE_WEBHOOK = 'validation.ragengine.kaito.sh';

/** The `required` lists of the CRD's v1beta1/v1alpha1 `spec` schema: [object path, required keys]. */
const SCHEMA_REQUIRED: Array<[string, string[]]> = [
  ['spec', ['embedding']],
  ['spec.compute', ['labelSelector']],
  ['spec.embedding.remote', ['url']],
  ['spec.guardrails.configMapRef', ['name']],
  ['spec.inferenceService', ['contextWindowSize']],
  ['spec.storage.persistentVolume', ['persistentVolumeClaim']],
  ['spec.storage.vectorDB', ['engine', 'url']],
];

function at(
  obj: KubeObject,
  path: string,
): Record<string, unknown> | undefined {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (!isRecord(cur)) return undefined;
    cur = cur[key];
  }
  return isRecord(cur) ? cur : undefined;
}

/** What the CRD schema refuses before the webhook is asked: its required fields, when their parent is set. */
export function ragEngineSchemaIssues(obj: KubeObject): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const [path, keys] of SCHEMA_REQUIRED) {
    const parent = at(obj, path);
    if (!parent) continue;
    for (const key of keys) {
      if (parent[key] === undefined)
        issues.push({
          field: `${path}.${key}`,
          type: 'FieldValueRequired',
          message: 'Required value',
        });
    }
  }
  return issues;
}

/** What KAITO's RAGEngine webhook denies. */
export function ragEngineWebhookIssues(
  obj: KubeObject,
): Array<{ field: string; message: string }> {
  return validateRagEngine(obj)
    .filter(i => i.severity !== 'warning')
    .map(i => ({ field: i.field, message: i.message }));
}
