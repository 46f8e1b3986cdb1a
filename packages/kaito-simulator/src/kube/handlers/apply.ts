import { admit, applyDefaults, checkIdentity } from '../admission';
import { parseYamlDocument } from '../body';
import {
  badRequest,
  conflict,
  invalid,
  notFound,
  STALE_OBJECT_MESSAGE,
} from '../errors';
import { serverSideApply } from '../managedFields';
import { NAMESPACES } from '../resources';
import { sendJson } from '../respond';
import {
  admissionContext,
  apiVersion,
  keepServerMeta,
  requireNamespace,
  ResourceRequest,
  scopeWrite,
  serve,
  toStorage,
} from './request';

/** Server-side apply (a PATCH with application/apply-patch+yaml): creates, or merges by field ownership. */
export async function handleApply(
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
