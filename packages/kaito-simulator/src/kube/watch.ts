import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, gone } from './errors';
import { apiVersionOf, ResourceType, resourceKey } from './resources';
import {
  FieldRequirement,
  LabelRequirement,
  matchesFields,
  matchesLabels,
} from './selectors';
import { ObjectStore, StoreEvent } from './store';
import { KubeObject } from './types';

export interface WatchRequest {
  req: IncomingMessage;
  res: ServerResponse;
  store: ObjectStore;
  resource: ResourceType;
  version: string;
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  resourceVersion?: string;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds?: number;
  bookmarkIntervalMs: number;
  /** Registers the stream so the simulator can cut it (forced disconnect). */
  track(close: () => void): () => void;
}

/** The API server ends a watch after its min-request-timeout when the client sets none. */
const DEFAULT_WATCH_TIMEOUT_S = 1800;

/** Parses a resourceVersion query value (a uint64 in etcd terms). */
export function parseResourceVersion(
  value: string | undefined,
): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) {
    throw badRequest(
      `resourceVersion: Invalid value: "${value.slice(
        0,
        64,
      )}": strconv.ParseUint: parsing "${value.slice(0, 64)}": invalid syntax`,
    );
  }
  return Number(value);
}

/** Serves a watch stream: newline-delimited watch events, bookmarks, and 410 for compacted versions. */
export function serveWatch(w: WatchRequest): void {
  const { req, res, store, resource: r } = w;
  const rv = parseResourceVersion(w.resourceVersion);
  const apiVersion = apiVersionOf(r.group, w.version);
  const key = resourceKey(r);

  const serve = (obj: KubeObject): KubeObject => ({
    ...obj,
    apiVersion,
    kind: r.kind,
  });
  const matches = (obj: KubeObject | undefined): boolean =>
    !!obj &&
    (!w.namespace || obj.metadata.namespace === w.namespace) &&
    matchesLabels(obj.metadata.labels, w.labels) &&
    matchesFields(obj, w.fields);

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();
  const write = (type: string, object: unknown) => {
    if (!res.writableEnded && !res.destroyed)
      res.write(`${JSON.stringify({ type, object })}\n`);
  };

  let replay: StoreEvent[] = [];
  if (rv !== undefined && rv !== 0 && !w.sendInitialEvents) {
    const events = store.eventsSince(rv);
    if (!events) {
      const e = gone(
        `too old resource version: ${rv} (${store.oldestResumableRv + 1})`,
      );
      write('ERROR', e.status);
      res.end();
      return;
    }
    // The history holds every resource's changes; this watch resumes only its own.
    replay = events.filter(ev => resourceKey(ev.resource) === key);
  }

  // Subscribe before replaying so nothing written in between is lost.
  const queue: StoreEvent[] = [];
  let live = false;
  // A MODIFIED object that starts or stops matching the selectors is ADDED or DELETED for this watch.
  const deliver = (ev: StoreEvent) => {
    const now = matches(ev.object);
    if (ev.type === 'MODIFIED') {
      const before = matches(ev.previous);
      if (now && before) write('MODIFIED', serve(ev.object));
      else if (now) write('ADDED', serve(ev.object));
      else if (before) write('DELETED', serve(ev.object));
    } else if (now) {
      write(ev.type, serve(ev.object));
    }
  };
  const onEvent = (ev: StoreEvent) => {
    if (resourceKey(ev.resource) !== key) return;
    if (!live) queue.push(ev);
    else deliver(ev);
  };
  const unsubscribe = store.subscribe(onEvent);

  let sentUpTo = rv ?? 0;
  if (rv === undefined || rv === 0 || w.sendInitialEvents) {
    for (const obj of store.list(r, r.namespaced ? w.namespace : undefined)) {
      if (matches(obj)) write('ADDED', serve(obj));
    }
    sentUpTo = Number(store.resourceVersion);
    if (w.sendInitialEvents && w.allowBookmarks) {
      write('BOOKMARK', {
        kind: r.kind,
        apiVersion,
        metadata: {
          resourceVersion: store.resourceVersion,
          annotations: { 'k8s.io/initial-events-end': 'true' },
        },
      });
    }
  } else {
    for (const ev of replay) deliver(ev);
    sentUpTo = replay.length ? replay[replay.length - 1].rv : rv;
  }
  for (const ev of queue) if (ev.rv > sentUpTo) deliver(ev);
  queue.length = 0;
  live = true;

  const bookmark = w.allowBookmarks
    ? setInterval(
        () =>
          write('BOOKMARK', {
            kind: r.kind,
            apiVersion,
            metadata: { resourceVersion: store.resourceVersion },
          }),
        w.bookmarkIntervalMs,
      )
    : undefined;
  const timeout = setTimeout(
    close,
    1000 * (w.timeoutSeconds ?? DEFAULT_WATCH_TIMEOUT_S),
  );
  const untrack = w.track(() => {
    close();
    res.destroy();
  });

  let closed = false;
  function close() {
    if (closed) return;
    closed = true;
    unsubscribe();
    if (bookmark) clearInterval(bookmark);
    clearTimeout(timeout);
    untrack();
    if (!res.writableEnded) res.end();
  }
  req.on('close', close);
  res.on('close', close);
}
