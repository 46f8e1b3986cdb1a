import { KubeError } from './errors';
import { ResourceType } from './resources';
import {
  isRecord,
  KubeObject,
  ManagedFieldsEntry,
  nowIso,
  stableStringify,
} from './types';

/**
 * Field ownership for server-side apply, tracked the way the API server
 * reports it (`metadata.managedFields[].fieldsV1`). Maps are granular; lists
 * are atomic (owned as a whole), which matches CRDs without list-type markers.
 */

type Path = string[];

const SERVER_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

const key = (p: Path) => JSON.stringify(p);
const render = (p: Path) => `.${p.join('.')}`;

/** Leaf paths of the user-owned part of an object. */
export function fieldPaths(obj: unknown, r: ResourceType): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, path: Path) => {
    if (isRecord(v)) {
      // An empty map claims nothing (as with `labels: {}` in applied config).
      for (const [k, child] of Object.entries(v)) {
        if (child === undefined) continue;
        if (path.length === 0 && (k === 'apiVersion' || k === 'kind')) continue;
        if (path.length === 0 && k === 'status' && r.statusSubresource)
          continue;
        if (path.length === 1 && path[0] === 'metadata' && SERVER_META.has(k))
          continue;
        walk(child, [...path, k]);
      }
    } else if (path.length > 0 && v !== undefined) {
      out.push(path);
    }
  };
  walk(obj, []);
  return out;
}

export function encodeFields(paths: Path[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of paths) {
    let cur = root;
    for (const seg of p) {
      const k = `f:${seg}`;
      if (!isRecord(cur[k])) cur[k] = {};
      cur = cur[k] as Record<string, unknown>;
    }
  }
  return root;
}

export function decodeFields(fields: unknown): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, path: Path) => {
    if (!isRecord(v)) return;
    const keys = Object.keys(v).filter(k => k.startsWith('f:'));
    if (keys.length === 0) {
      if (path.length) out.push(path);
      return;
    }
    for (const k of keys) walk(v[k], [...path, k.slice(2)]);
  };
  walk(fields, []);
  return out;
}

function valueAt(obj: unknown, p: Path): unknown {
  let cur = obj;
  for (const seg of p) {
    if (!isRecord(cur)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

function deleteAt(obj: Record<string, unknown>, p: Path): void {
  const parents: Array<Record<string, unknown>> = [obj];
  let cur: unknown = obj;
  for (const seg of p.slice(0, -1)) {
    if (!isRecord(cur)) return;
    cur = cur[seg];
    if (!isRecord(cur)) return;
    parents.push(cur);
  }
  delete parents[parents.length - 1][p[p.length - 1]];
  // Drop maps emptied by the removal, as apply does.
  for (let i = parents.length - 1; i > 0; i--) {
    if (Object.keys(parents[i]).length === 0) delete parents[i - 1][p[i - 1]];
    else break;
  }
}

/** Maps merge recursively; lists and scalars are replaced. */
export function deepMerge(base: unknown, overlay: unknown): unknown {
  if (!isRecord(base) || !isRecord(overlay)) return structuredClone(overlay);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overlay)) out[k] = deepMerge(base[k], v);
  return out;
}

const overlaps = (a: Path, b: Path) => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
};

interface Owner {
  entry: ManagedFieldsEntry;
  paths: Path[];
}

function owners(obj: KubeObject): Owner[] {
  return (obj.metadata.managedFields ?? []).map(e => ({
    entry: e,
    paths: decodeFields(e.fieldsV1),
  }));
}

function toEntries(list: Owner[]): ManagedFieldsEntry[] {
  return list
    .filter(o => o.paths.length > 0)
    .map(o => ({ ...o.entry, fieldsV1: encodeFields(o.paths) }));
}

function entry(
  manager: string,
  operation: 'Apply' | 'Update',
  apiVersion: string,
): ManagedFieldsEntry {
  return {
    manager,
    operation,
    apiVersion,
    time: nowIso(),
    fieldsType: 'FieldsV1',
    fieldsV1: {},
  };
}

/**
 * Server-side apply of `applied` onto `current` (undefined: create).
 * Throws a 409 listing the conflicts unless `force` is set.
 */
export function serverSideApply(
  r: ResourceType,
  current: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  force: boolean,
  apiVersion: string,
): KubeObject {
  const appliedPaths = fieldPaths(applied, r);
  if (!current) {
    const created = structuredClone(applied);
    const e = entry(manager, 'Apply', apiVersion);
    e.fieldsV1 = encodeFields(appliedPaths);
    created.metadata.managedFields = appliedPaths.length ? [e] : [];
    return created;
  }
  const list = owners(current);
  const conflicts: Array<{ manager: string; apiVersion: string; path: Path }> =
    [];
  for (const p of appliedPaths) {
    const have = valueAt(current, p);
    if (
      have === undefined ||
      stableStringify(have) === stableStringify(valueAt(applied, p))
    )
      continue;
    for (const o of list) {
      if (o.entry.manager === manager) continue;
      if (o.paths.some(q => overlaps(q, p))) {
        conflicts.push({
          manager: o.entry.manager,
          apiVersion: o.entry.apiVersion,
          path: p,
        });
      }
    }
  }
  if (conflicts.length && !force) throw applyConflict(conflicts);
  if (force) {
    for (const c of conflicts) {
      for (const o of list) {
        if (o.entry.manager === c.manager)
          o.paths = o.paths.filter(q => !overlaps(q, c.path));
      }
    }
  }
  const mine = list.find(
    o => o.entry.manager === manager && o.entry.operation === 'Apply',
  );
  const appliedKeys = new Set(appliedPaths.map(key));
  const merged = deepMerge(current, applied) as KubeObject;
  if (mine) {
    for (const p of mine.paths) {
      if (appliedKeys.has(key(p))) continue;
      const ownedByOthers = list.some(
        o => o !== mine && o.paths.some(q => key(q) === key(p)),
      );
      if (!ownedByOthers)
        deleteAt(merged as unknown as Record<string, unknown>, p);
    }
    mine.paths = appliedPaths;
    mine.entry = { ...mine.entry, apiVersion, time: nowIso() };
  } else {
    list.push({
      entry: entry(manager, 'Apply', apiVersion),
      paths: appliedPaths,
    });
  }
  merged.metadata.managedFields = toEntries(list);
  return merged;
}

function applyConflict(
  conflicts: Array<{ manager: string; apiVersion: string; path: Path }>,
): KubeError {
  const n = conflicts.length;
  let message: string;
  if (n === 1) {
    const c = conflicts[0];
    message = `Apply failed with 1 conflict: conflict with "${
      c.manager
    }" using ${c.apiVersion}: ${render(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const k = `conflicts with "${c.manager}" using ${c.apiVersion}:`;
      byManager.set(k, [...(byManager.get(k) ?? []), render(c.path)]);
    }
    message = `Apply failed with ${n} conflicts: ${[...byManager.entries()]
      .map(([k, ps]) => `${k}\n${ps.map(p => `- ${p}`).join('\n')}`)
      .join('\n')}`;
  }
  return new KubeError(409, 'Conflict', message, {
    causes: conflicts.map(c => ({
      reason: 'FieldManagerConflict',
      message: `conflict with "${c.manager}" using ${c.apiVersion}`,
      field: render(c.path),
    })),
  });
}

/**
 * Records an Update operation (create, replace, patch): the manager takes
 * ownership of every field it changed, which other managers lose.
 */
export function recordUpdate(
  r: ResourceType,
  before: KubeObject | undefined,
  after: KubeObject,
  manager: string,
  apiVersion: string,
  subresource?: string,
): void {
  const list = before ? owners(before) : [];
  const beforePaths = before ? fieldPaths(before, r) : [];
  const afterPaths =
    subresource === 'status'
      ? fieldPaths({ status: after.status }, { ...r, statusSubresource: false })
      : fieldPaths(after, r);
  const changed = afterPaths.filter(
    p =>
      !before ||
      stableStringify(valueAt(before, p)) !==
        stableStringify(valueAt(after, p)),
  );
  const afterKeys = new Set(afterPaths.map(key));
  const removed = beforePaths.filter(p => !afterKeys.has(key(p)));
  if (changed.length === 0 && removed.length === 0) {
    after.metadata.managedFields =
      before?.metadata.managedFields ?? after.metadata.managedFields ?? [];
    return;
  }
  const changedKeys = new Set([...changed, ...removed].map(key));
  let mine = list.find(
    o =>
      o.entry.manager === manager &&
      o.entry.operation === 'Update' &&
      o.entry.subresource === subresource,
  );
  for (const o of list) {
    if (o === mine) continue;
    o.paths = o.paths.filter(p => !changedKeys.has(key(p)));
  }
  if (!mine) {
    mine = {
      entry: {
        ...entry(manager, 'Update', apiVersion),
        ...(subresource ? { subresource } : {}),
      },
      paths: [],
    };
    list.push(mine);
  }
  const mineKeys = new Set(mine.paths.map(key));
  mine.paths = [
    ...mine.paths.filter(p => afterKeys.has(key(p))),
    ...changed.filter(p => !mineKeys.has(key(p))),
  ];
  mine.entry = { ...mine.entry, apiVersion, time: nowIso() };
  after.metadata.managedFields = toEntries(list);
}
