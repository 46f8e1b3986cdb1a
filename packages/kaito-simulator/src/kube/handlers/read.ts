import { badRequest, notFound } from '../errors';
import { sendJson } from '../respond';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from '../selectors';
import { apiVersion, ResourceRequest, serve } from './request';

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
