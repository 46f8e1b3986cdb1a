import {
  admit,
  applyDefaults,
  checkIdentity,
  generateName,
} from '../admission';
import {
  decodeObjectBody,
  mediaType,
  parseJson,
  PATCH_MEDIA_TYPES,
  readBody,
} from '../body';
import {
  badRequest,
  conflict,
  invalid,
  KubeError,
  notFound,
  STALE_OBJECT_MESSAGE,
  successStatus,
  unsupportedMediaType,
} from '../errors';
import { recordUpdate } from '../managedFields';
import { jsonPatch, mergePatch } from '../patch';
import { NAMESPACES } from '../resources';
import { sendJson } from '../respond';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from '../selectors';
import { isRecord, KubeObject } from '../types';
import { handleApply } from './apply';
import {
  admissionContext,
  apiVersion,
  fieldManager,
  isDryRun,
  keepServerMeta,
  requireNamespace,
  ResourceRequest,
  scopeWrite,
  serve,
  toStorage,
} from './request';

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
