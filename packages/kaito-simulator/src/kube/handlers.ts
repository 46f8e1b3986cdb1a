import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AdmissionContext,
  admit,
  applyDefaults,
  checkIdentity,
  generateName,
  KaitoAdmissionMode,
} from './admission';
import {
  decodeObjectBody,
  mediaType,
  parseJson,
  parseYamlDocument,
  PATCH_MEDIA_TYPES,
  readBody,
} from './body';
import {
  badRequest,
  conflict,
  invalid,
  KubeError,
  notFound,
  STALE_OBJECT_MESSAGE,
  successStatus,
  unsupportedMediaType,
} from './errors';
import { recordUpdate, serverSideApply } from './managedFields';
import { jsonPatch, mergePatch } from './patch';
import { apiVersionOf, NAMESPACES, ResourceType } from './resources';
import { sendJson } from './respond';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';
import { ObjectStore } from './store';
import { isRecord, KubeObject } from './types';

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

const apiVersion = (rq: ResourceRequest) =>
  apiVersionOf(rq.resource.group, rq.version);
const storageApiVersion = (r: ResourceType) =>
  apiVersionOf(r.group, r.versions[0]);

/** What identity and admission checks need to know about the request's target. */
function admissionContext(
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
function serve(rq: ResourceRequest, obj: KubeObject): KubeObject {
  return { ...obj, apiVersion: apiVersion(rq), kind: rq.resource.kind };
}

function toStorage(r: ResourceType, obj: KubeObject): KubeObject {
  return { ...obj, apiVersion: storageApiVersion(r), kind: r.kind };
}

function isDryRun(q: URLSearchParams): boolean {
  const v = q.getAll('dryRun');
  if (v.length === 0) return false;
  if (v.every(x => x === 'All')) return true;
  throw badRequest(
    `Invalid value: ${JSON.stringify(v)}: supported values: "All"`,
  );
}

/** The manager recorded in managedFields: fieldManager, else the client's user agent. */
function fieldManager(rq: ResourceRequest): string {
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

function requireNamespace(rq: ResourceRequest): void {
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
function scopeWrite(
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
function keepServerMeta(current: KubeObject, next: KubeObject): KubeObject {
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

export async function handleList(rq: ResourceRequest): Promise<void> {
  const r = rq.resource;
  const labels = parseLabelSelector(rq.query.get('labelSelector') ?? undefined);
  const fields = parseFieldSelector(
    rq.query.get('fieldSelector') ?? undefined,
    r,
  );
  const limitRaw = rq.query.get('limit');
  const limit = limitRaw ? Number(limitRaw) : 0;
  if (limitRaw && (!Number.isInteger(limit) || limit < 0)) {
    throw badRequest(
      `limit: Invalid value: "${limitRaw.slice(
        0,
        32,
      )}": must be a non-negative integer`,
    );
  }
  const cont = rq.query.get('continue');
  let after = '';
  if (cont) {
    try {
      const decoded = JSON.parse(
        Buffer.from(cont, 'base64url').toString('utf8'),
      );
      after = String(decoded.start);
    } catch {
      throw badRequest(
        'continue key is not valid: illegal base64 data at input byte 0',
      );
    }
  }
  const items = rq.store
    .list(r, r.namespaced ? rq.namespace : undefined)
    .filter(
      o => matchesLabels(o.metadata.labels, labels) && matchesFields(o, fields),
    )
    .filter(
      o => !after || `${o.metadata.namespace ?? ''}/${o.metadata.name}` > after,
    );
  const page = limit > 0 ? items.slice(0, limit) : items;
  const more = limit > 0 && items.length > limit;
  const metadata: Record<string, unknown> = {
    resourceVersion: rq.store.resourceVersion,
  };
  if (more) {
    const last = page[page.length - 1];
    metadata.continue = Buffer.from(
      JSON.stringify({
        v: 'meta.k8s.io/v1',
        rv: Number(rq.store.resourceVersion),
        start: `${last.metadata.namespace ?? ''}/${last.metadata.name}`,
      }),
    ).toString('base64url');
    metadata.remainingItemCount = items.length - page.length;
  }
  sendJson(rq.res, 200, {
    kind: r.listKind,
    apiVersion: apiVersion(rq),
    metadata,
    // Like a real server: custom resources keep kind/apiVersion in list items, built-ins drop them.
    items: page.map(o => {
      if (r.custom) return serve(rq, o);
      const { apiVersion: _a, kind: _k, ...rest } = o;
      return rest;
    }),
  });
}

export async function handleGet(rq: ResourceRequest): Promise<void> {
  const obj = rq.store.get(rq.resource, rq.namespace, rq.name!);
  if (!obj) throw notFound(rq.resource.group, rq.resource.plural, rq.name!);
  sendJson(rq.res, 200, serve(rq, obj));
}

export async function handleCreate(rq: ResourceRequest): Promise<void> {
  const r = rq.resource;
  const dryRun = isDryRun(rq.query);
  const body = decodeObjectBody(await readBody(rq.req), mediaType(rq.req));
  const obj = checkIdentity(body, admissionContext(rq, { name: undefined }));
  generateName(obj);
  const manager = fieldManager(rq);
  rq.name =
    typeof obj.metadata.name === 'string' ? obj.metadata.name : undefined;
  if (r !== NAMESPACES) requireNamespace(rq);
  delete obj.metadata.resourceVersion;
  if (r.statusSubresource) delete obj.status;
  admit(obj, admissionContext(rq, { name: undefined }));
  applyDefaults(obj, r);
  obj.metadata.managedFields = [];
  recordUpdate(r, undefined, obj, manager, apiVersion(rq));
  const created = rq.store.create(r, toStorage(r, obj), { dryRun });
  sendJson(rq.res, 201, serve(rq, created));
}

export async function handleUpdate(rq: ResourceRequest): Promise<void> {
  const r = rq.resource;
  const dryRun = isDryRun(rq.query);
  const body = decodeObjectBody(await readBody(rq.req), mediaType(rq.req));
  const incoming = checkIdentity(body, admissionContext(rq));
  const current = rq.store.get(r, rq.namespace, rq.name!);
  if (!current) throw notFound(r.group, r.plural, rq.name!);
  const expectedRv =
    typeof incoming.metadata.resourceVersion === 'string'
      ? incoming.metadata.resourceVersion
      : undefined;
  if (r.custom && !expectedRv) {
    throw invalid(r.kind, r.group, rq.name!, [
      {
        field: 'metadata.resourceVersion',
        message: 'Invalid value: 0x0: must be specified for an update',
      },
    ]);
  }
  const next = keepServerMeta(current, scopeWrite(rq, current, incoming));
  admit(next, admissionContext(rq, { previous: current }));
  recordUpdate(
    r,
    current,
    next,
    fieldManager(rq),
    apiVersion(rq),
    rq.subresource,
  );
  const stored = rq.store.replace(r, toStorage(r, next), {
    expectedRv,
    dryRun,
  });
  sendJson(rq.res, 200, serve(rq, stored));
}

export async function handlePatch(rq: ResourceRequest): Promise<void> {
  const r = rq.resource;
  const type = mediaType(rq.req);
  if (
    !PATCH_MEDIA_TYPES.includes(type) ||
    (r.custom && type === 'application/strategic-merge-patch+json')
  ) {
    throw unsupportedMediaType(
      r.custom
        ? PATCH_MEDIA_TYPES.filter(t => !t.includes('strategic'))
        : PATCH_MEDIA_TYPES,
    );
  }
  const dryRun = isDryRun(rq.query);
  const raw = (await readBody(rq.req)).toString('utf8');
  if (type === 'application/apply-patch+yaml') {
    await handleApply(rq, raw, dryRun);
    return;
  }
  const current = rq.store.get(r, rq.namespace, rq.name!);
  if (!current) throw notFound(r.group, r.plural, rq.name!);
  const patch = parseJson(raw, 'error decoding patch');
  const servedCurrent = serve(rq, current);
  let patched: unknown;
  if (type === 'application/json-patch+json')
    patched = jsonPatch(servedCurrent, patch);
  else {
    if (!isRecord(patch))
      throw badRequest(
        'error decoding patch: json: cannot unmarshal non-object into Go value of type map[string]interface {}',
      );
    patched = mergePatch(servedCurrent, patch);
  }
  const next = checkIdentity(patched, admissionContext(rq));
  const expectedRv = next.metadata.resourceVersion;
  if (expectedRv && expectedRv !== current.metadata.resourceVersion) {
    throw conflict(r.group, r.plural, rq.name!, STALE_OBJECT_MESSAGE);
  }
  const scoped = keepServerMeta(current, scopeWrite(rq, current, next));
  admit(scoped, admissionContext(rq, { previous: current }));
  recordUpdate(
    r,
    current,
    scoped,
    fieldManager(rq),
    apiVersion(rq),
    rq.subresource,
  );
  const stored = rq.store.replace(r, toStorage(r, scoped), { dryRun });
  sendJson(rq.res, 200, serve(rq, stored));
}

async function handleApply(
  rq: ResourceRequest,
  raw: string,
  dryRun: boolean,
): Promise<void> {
  const r = rq.resource;
  const manager = rq.query.get('fieldManager');
  if (!manager) {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [
      {
        field: 'fieldManager',
        type: 'FieldValueRequired',
        message: 'Required value: is required for apply patch',
      },
    ]);
  }
  const forceRaw = rq.query.get('force');
  if (forceRaw !== null && forceRaw !== 'true' && forceRaw !== 'false') {
    throw badRequest(
      `force: Invalid value: "${forceRaw.slice(0, 32)}": must be true or false`,
    );
  }
  const body = parseYamlDocument(raw, 'error decoding YAML');
  const applied = checkIdentity(body, admissionContext(rq));
  if (r.statusSubresource && rq.subresource !== 'status') delete applied.status;
  const current = rq.store.get(r, rq.namespace, rq.name!);
  if (!current) {
    if (rq.subresource === 'status')
      throw notFound(r.group, r.plural, rq.name!);
    if (r !== NAMESPACES) requireNamespace(rq);
    delete applied.metadata.resourceVersion;
    const obj = serverSideApply(
      r,
      undefined,
      applied,
      manager,
      true,
      apiVersion(rq),
    );
    admit(obj, admissionContext(rq));
    applyDefaults(obj, r);
    const created = rq.store.create(r, toStorage(r, obj), { dryRun });
    sendJson(rq.res, 201, serve(rq, created));
    return;
  }
  const expectedRv = applied.metadata.resourceVersion;
  if (expectedRv && expectedRv !== current.metadata.resourceVersion) {
    throw conflict(r.group, r.plural, rq.name!, STALE_OBJECT_MESSAGE);
  }
  delete applied.metadata.resourceVersion;
  const merged = serverSideApply(
    r,
    serve(rq, current),
    applied,
    manager,
    forceRaw === 'true',
    apiVersion(rq),
  );
  const next = keepServerMeta(current, scopeWrite(rq, current, merged));
  next.metadata.managedFields = merged.metadata.managedFields;
  admit(next, admissionContext(rq, { previous: current }));
  const stored = rq.store.replace(r, toStorage(r, next), { dryRun });
  sendJson(rq.res, 200, serve(rq, stored));
}

interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
}

async function deleteOptions(rq: ResourceRequest): Promise<DeleteOptions> {
  const buf = await readBody(rq.req);
  if (buf.length === 0) return {};
  const body = parseJson(
    buf.toString('utf8'),
    "couldn't get version/kind; json parse error",
  );
  if (!isRecord(body)) throw badRequest('DeleteOptions must be a JSON object');
  return body as DeleteOptions;
}

export async function handleDelete(rq: ResourceRequest): Promise<void> {
  const r = rq.resource;
  const dryRun = isDryRun(rq.query);
  const opts = await deleteOptions(rq);
  const { object, deleted } = rq.store.remove(r, rq.namespace, rq.name!, {
    dryRun,
    expectedRv: opts.preconditions?.resourceVersion,
    expectedUid: opts.preconditions?.uid,
  });
  if (deleted && r.custom) {
    sendJson(
      rq.res,
      200,
      successStatus({
        name: rq.name,
        group: r.group,
        kind: r.plural,
        uid: object.metadata.uid,
      }),
    );
    return;
  }
  sendJson(rq.res, 200, serve(rq, object));
}

export async function handleDeleteCollection(
  rq: ResourceRequest,
): Promise<void> {
  const r = rq.resource;
  const dryRun = isDryRun(rq.query);
  await deleteOptions(rq);
  const labels = parseLabelSelector(rq.query.get('labelSelector') ?? undefined);
  const fields = parseFieldSelector(
    rq.query.get('fieldSelector') ?? undefined,
    r,
  );
  const items: KubeObject[] = [];
  for (const o of rq.store.list(r, rq.namespace)) {
    if (!matchesLabels(o.metadata.labels, labels) || !matchesFields(o, fields))
      continue;
    try {
      items.push(
        serve(
          rq,
          rq.store.remove(r, o.metadata.namespace, o.metadata.name!, { dryRun })
            .object,
        ),
      );
    } catch (e) {
      if (!(e instanceof KubeError && e.code === 404)) throw e;
    }
  }
  sendJson(rq.res, 200, {
    kind: r.listKind,
    apiVersion: apiVersion(rq),
    metadata: { resourceVersion: rq.store.resourceVersion },
    items,
  });
}
