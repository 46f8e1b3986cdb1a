import type { IncomingMessage, ServerResponse } from 'node:http';
import { AdmissionContext, KaitoAdmissionMode } from '../admission';
import { badRequest, invalid, KubeError, notFound } from '../errors';
import { apiVersionOf, ResourceType } from '../resources';
import { ObjectStore } from '../store';
import { KubeObject } from '../types';

/** One resolved request against a resource endpoint. */
export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  store: ObjectStore;
  resource: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: 'status';
  /** The simulated KAITO operator's mode, for Workspace admission. */
  kaito?: KaitoAdmissionMode;
}

export const apiVersion = (rq: ResourceRequest) =>
  apiVersionOf(rq.resource.group, rq.version);
const storageApiVersion = (r: ResourceType) =>
  apiVersionOf(r.group, r.versions[0]);

/** What identity and admission checks need to know about the request's target. */
export function admissionContext(
  rq: ResourceRequest,
  extra: Partial<AdmissionContext> = {},
): AdmissionContext {
  return {
    resource: rq.resource,
    apiVersion: apiVersion(rq),
    namespace: rq.namespace,
    name: rq.name,
    kaito: rq.kaito,
    ...extra,
  };
}

/** How the object looks through the requested version. */
export function serve(rq: ResourceRequest, obj: KubeObject): KubeObject {
  return { ...obj, apiVersion: apiVersion(rq), kind: rq.resource.kind };
}

export function toStorage(r: ResourceType, obj: KubeObject): KubeObject {
  return { ...obj, apiVersion: storageApiVersion(r), kind: r.kind };
}

export function isDryRun(q: URLSearchParams): boolean {
  const v = q.getAll('dryRun');
  if (v.length === 0) return false;
  if (v.every(x => x === 'All')) return true;
  throw badRequest(
    `Invalid value: ${JSON.stringify(v)}: supported values: "All"`,
  );
}

/** The manager recorded in managedFields: fieldManager, else the client's user agent. */
export function fieldManager(rq: ResourceRequest): string {
  const explicit = rq.query.get('fieldManager');
  if (explicit !== null) {
    if (explicit.length > 128) {
      throw invalid('UpdateOptions', 'meta.k8s.io', '', [
        {
          field: 'fieldManager',
          message: `Too long: may not be longer than 128`,
        },
      ]);
    }
    return explicit;
  }
  const ua = String(rq.req.headers['user-agent'] ?? '');
  return ua.split('/')[0].trim() || 'unknown';
}

export function requireNamespace(rq: ResourceRequest): void {
  if (!rq.resource.namespaced || !rq.namespace) return;
  const state = rq.store.namespaceState(rq.namespace);
  if (!state) throw notFound('', 'namespaces', rq.namespace);
  if (state === 'Terminating') {
    throw new KubeError(
      403,
      'Forbidden',
      `${rq.resource.plural}${
        rq.resource.group ? `.${rq.resource.group}` : ''
      } "${
        rq.name ?? ''
      }" is forbidden: unable to create new content in namespace ${
        rq.namespace
      } because it is being terminated`,
      {
        name: rq.name,
        group: rq.resource.group || undefined,
        kind: rq.resource.plural,
      },
    );
  }
}

/** Keeps what a write through one endpoint may not change (status vs. the rest). */
export function scopeWrite(
  rq: ResourceRequest,
  current: KubeObject,
  next: KubeObject,
): KubeObject {
  if (!rq.resource.statusSubresource) return next;
  if (rq.subresource === 'status') {
    return { ...structuredClone(current), status: next.status };
  }
  const out = { ...next };
  if (current.status === undefined) delete out.status;
  else out.status = structuredClone(current.status);
  return out;
}

/** Server-owned metadata carries over from the stored object. */
export function keepServerMeta(
  current: KubeObject,
  next: KubeObject,
): KubeObject {
  const m = next.metadata;
  m.uid = current.metadata.uid;
  m.creationTimestamp = current.metadata.creationTimestamp;
  m.generation = current.metadata.generation;
  if (current.metadata.deletionTimestamp)
    m.deletionTimestamp = current.metadata.deletionTimestamp;
  if (m.managedFields === undefined)
    m.managedFields = current.metadata.managedFields;
  return next;
}
