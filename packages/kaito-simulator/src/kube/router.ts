import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
  versionInfo,
} from './discovery';
import {
  badRequest,
  methodNotAllowed,
  notFound,
  serviceUnavailable,
  unknownPath,
} from './errors';
import {
  handleCreate,
  handleDelete,
  handleDeleteCollection,
  handleGet,
  handleList,
  handlePatch,
  handleUpdate,
  ResourceRequest,
} from './handlers';
import {
  NAMESPACES,
  ResourceRegistry,
  ResourceType,
  PODS,
  SERVICES,
} from './resources';
import type { KaitoAdmissionMode } from './admission';
import { sendJson, sendText } from './respond';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { ObjectStore } from './store';
import { serveWatch } from './watch';

/** Where a service-proxy request goes: `/api/v1/namespaces/{ns}/services/{name}[:{port}]/proxy/{path}`. */
export interface ServiceProxyTarget {
  namespace: string;
  service: string;
  /** Port name or number from the URL; '' when omitted. */
  port: string;
  /** Path (with query string) after `/proxy`, always starting with '/'. */
  path: string;
}

export type ServiceProxyHandler = (
  target: ServiceProxyTarget,
  req: IncomingMessage,
  res: ServerResponse,
) => void | Promise<void>;

/** The text of a container's log (pods/log), or undefined when there is none. */
export type PodLogReader = (
  namespace: string,
  pod: string,
  container: string,
) => string | undefined;

export interface RouterOptions {
  store: ObjectStore;
  registry: ResourceRegistry;
  serverAddress: string;
  bookmarkIntervalMs: number;
  proxy?: ServiceProxyHandler;
  podLog?: PodLogReader;
  /** The simulated KAITO operator's mode, for Workspace admission. */
  kaito?: KaitoAdmissionMode;
  trackWatch(close: () => void): () => void;
}

function decodeSegments(pathname: string): string[] {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw badRequest(`invalid URL escape in path "${pathname.slice(0, 100)}"`);
  }
}

function isTrue(v: string | null): boolean {
  return v === '1' || v === 'true';
}

/** Routes one authenticated request. Throws KubeError for anything it answers with a Status. */
export async function route(
  opts: RouterOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator.local');
  const segs = decodeSegments(url.pathname);
  const method = req.method ?? 'GET';

  // Non-resource endpoints.
  const path = `/${segs.join('/')}`;
  if (method === 'GET') {
    if (path === '/version') return sendJson(res, 200, versionInfo());
    if (path === '/healthz' || path === '/livez' || path === '/readyz')
      return sendText(res, 200, 'ok');
    if (path === '/api')
      return sendJson(res, 200, apiVersions(opts.serverAddress));
    if (path === '/apis')
      return sendJson(res, 200, apiGroupList(opts.registry));
    if (path === '/api/v1')
      return sendJson(res, 200, apiResourceList(opts.registry, '', 'v1'));
    if (segs[0] === 'apis' && segs.length === 2) {
      const doc = apiGroupDoc(opts.registry, segs[1]);
      if (!doc) throw unknownPath();
      return sendJson(res, 200, doc);
    }
    if (segs[0] === 'apis' && segs.length === 3) {
      const doc = apiResourceList(opts.registry, segs[1], segs[2]);
      if (!doc) throw unknownPath();
      return sendJson(res, 200, doc);
    }
  }

  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs[1] === 'v1') {
    group = '';
    version = 'v1';
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1];
    version = segs[2];
    rest = segs.slice(3);
  } else {
    throw unknownPath();
  }
  if (
    !opts.registry
      .groupVersions()
      .some(g => g.group === group && g.versions.includes(version)) &&
    group !== ''
  ) {
    throw unknownPath();
  }

  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }

  let resource: ResourceType | undefined;
  let namespace: string | undefined;
  let tail: string[];
  const namespacedTarget =
    rest[0] === 'namespaces' && rest.length >= 3
      ? opts.registry.find(group, version, rest[2])
      : undefined;
  if (namespacedTarget?.namespaced) {
    resource = namespacedTarget;
    namespace = rest[1];
    tail = rest.slice(3);
  } else {
    resource = opts.registry.find(group, version, rest[0] ?? '');
    tail = rest.slice(1);
  }
  if (!resource) throw unknownPath();
  const clusterWide = resource.namespaced && namespace === undefined;
  const [name, subresource, ...more] = tail;

  if (subresource === 'proxy' && resource === SERVICES && namespace) {
    return serviceProxy(opts, req, res, namespace, name, url);
  }
  if (subresource === 'log' && resource === PODS && namespace && !more.length) {
    return podLog(opts, method, res, namespace, name, url);
  }
  if (subresource !== undefined) {
    const statusOk =
      subresource === 'status' &&
      resource.statusSubresource &&
      more.length === 0;
    if (!statusOk || watchPath) throw unknownPath();
  }
  if (clusterWide && name !== undefined) throw unknownPath();

  const rq: ResourceRequest = {
    req,
    res,
    query: url.searchParams,
    store: opts.store,
    resource,
    version,
    namespace,
    name,
    subresource: subresource === 'status' ? 'status' : undefined,
    kaito: opts.kaito,
  };

  const watch = watchPath || isTrue(url.searchParams.get('watch'));
  if (method === 'GET' && watch) {
    const labels = parseLabelSelector(
      url.searchParams.get('labelSelector') ?? undefined,
    );
    let fields = parseFieldSelector(
      url.searchParams.get('fieldSelector') ?? undefined,
      resource,
    );
    if (name !== undefined)
      fields = [
        ...fields,
        { field: 'metadata.name', negate: false, value: name },
      ];
    const timeoutRaw = url.searchParams.get('timeoutSeconds');
    const timeout = timeoutRaw === null ? undefined : Number(timeoutRaw);
    if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 0)) {
      throw badRequest(
        `timeoutSeconds: Invalid value: "${String(timeoutRaw).slice(
          0,
          32,
        )}": must be a non-negative integer`,
      );
    }
    return serveWatch({
      req,
      res,
      store: opts.store,
      resource,
      version,
      namespace,
      labels,
      fields,
      resourceVersion: url.searchParams.get('resourceVersion') ?? undefined,
      allowBookmarks: isTrue(url.searchParams.get('allowWatchBookmarks')),
      sendInitialEvents: isTrue(url.searchParams.get('sendInitialEvents')),
      timeoutSeconds: timeout ? timeout : undefined,
      bookmarkIntervalMs: opts.bookmarkIntervalMs,
      track: opts.trackWatch,
    });
  }
  if (watchPath) throw methodNotAllowed();

  if (name === undefined) {
    if (method === 'GET') return handleList(rq);
    if (method === 'POST' && !clusterWide) return handleCreate(rq);
    if (method === 'DELETE' && !clusterWide && resource !== NAMESPACES)
      return handleDeleteCollection(rq);
    throw methodNotAllowed();
  }
  switch (method) {
    case 'GET':
      return handleGet(rq);
    case 'PUT':
      return handleUpdate(rq);
    case 'PATCH':
      return handlePatch(rq);
    case 'DELETE':
      if (rq.subresource) throw methodNotAllowed();
      return handleDelete(rq);
    default:
      throw methodNotAllowed();
  }
}

async function serviceProxy(
  opts: RouterOptions,
  req: IncomingMessage,
  res: ServerResponse,
  namespace: string,
  nameAndPort: string,
  url: URL,
): Promise<void> {
  // `[scheme:]name[:port]`, as the API server parses it.
  const parts = nameAndPort.split(':');
  const [service, port = ''] = parts.length === 3 ? parts.slice(1) : parts;
  if (!opts.store.peek(SERVICES, namespace, service))
    throw notFound('', 'services', service);
  // Everything after ".../services/{name}/proxy", plus the query string.
  // /api/v1/namespaces/{ns}/services/{name}/proxy is always 7 segments.
  const m = url.pathname.match(/^\/*(?:[^/]+\/+){6}[^/]+(.*)$/);
  // Go's http server hands the API server a decoded path (`v1%2Fmodels` is `v1/models`).
  const after = m ? decodeURIComponent(m[1]) : '';
  const path = `${after.startsWith('/') ? after : `/${after}`}${url.search}`;
  if (!opts.proxy)
    throw serviceUnavailable(`no endpoints available for service "${service}"`);
  // Real API servers never pass the caller's credentials on to the backend.
  delete req.headers.authorization;
  await opts.proxy({ namespace, service, port, path }, req, res);
}

/**
 * `GET .../pods/{name}/log[?container=&tailLines=&limitBytes=]`: the container's log as
 * text, like the kubelet serves it through the API server.
 */
function podLog(
  opts: RouterOptions,
  method: string,
  res: ServerResponse,
  namespace: string,
  name: string,
  url: URL,
): void {
  if (method !== 'GET') throw methodNotAllowed();
  const pod = opts.store.peek(PODS, namespace, name);
  if (!pod) throw notFound('', 'pods', name);
  const containers = Array.isArray(
    (pod.spec as { containers?: unknown })?.containers,
  )
    ? (pod.spec as { containers: Array<{ name?: string }> }).containers
    : [];
  const container =
    url.searchParams.get('container') ??
    (containers.length === 1 ? containers[0].name : undefined);
  if (!container) {
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${containers
        .map(c => c.name)
        .join(' ')}]`,
    );
  }
  if (
    !containers.some(c => c.name === container) &&
    !Array.isArray((pod.spec as { initContainers?: unknown })?.initContainers)
  ) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  let lines = (opts.podLog?.(namespace, name, container) ?? '').split('\n');
  if (lines[lines.length - 1] === '') lines = lines.slice(0, -1);
  // Without tailLines the whole log (Number(null) would be a tail of 0).
  const tailParam = url.searchParams.get('tailLines');
  const tail = tailParam === null ? NaN : Number(tailParam);
  if (Number.isInteger(tail) && tail >= 0)
    lines = lines.slice(Math.max(0, lines.length - tail));
  let text = lines.length ? `${lines.join('\n')}\n` : '';
  // limitBytes: the first bytes of what would be sent, possibly cut mid-line.
  const limit = url.searchParams.get('limitBytes');
  if (limit !== null) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1) {
      throw badRequest(`limitBytes must be a positive integer; got ${limit}`);
    }
    text = Buffer.from(text, 'utf8').subarray(0, n).toString('utf8');
  }
  sendText(res, 200, text);
}
