import { badRequest, KubeError } from './errors';
import { isRecord, stableStringify } from './types';

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

interface JsonPatchOp {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function patchError(message: string): KubeError {
  return new KubeError(422, 'Invalid', message);
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw patchError(
      `jsonpatch: invalid path "${pointer}": must start with '/'`,
    );
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: unknown, path: string[]): unknown {
  let cur = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isRecord(cur)) cur = cur[seg];
    else return undefined;
  }
  return cur;
}

function parentOf(
  doc: unknown,
  path: string[],
  op: string,
  pointer: string,
): unknown {
  const parent = getAt(doc, path.slice(0, -1));
  if (!Array.isArray(parent) && !isRecord(parent)) {
    throw patchError(
      `jsonpatch ${op} operation does not apply: doc is missing path: "${pointer}": missing value`,
    );
  }
  return parent;
}

function arrayIndex(
  arr: unknown[],
  seg: string,
  allowEnd: boolean,
  op: string,
  pointer: string,
): number {
  if (allowEnd && seg === '-') return arr.length;
  if (!/^\d+$/.test(seg))
    throw patchError(
      `jsonpatch ${op} operation does not apply: invalid index "${seg}" in "${pointer}"`,
    );
  const i = Number(seg);
  if (i > arr.length || (!allowEnd && i === arr.length)) {
    throw patchError(
      `jsonpatch ${op} operation does not apply: index out of range in "${pointer}"`,
    );
  }
  return i;
}

function add(
  doc: unknown,
  pointer: string,
  value: unknown,
  op = 'add',
): unknown {
  const path = parsePointer(pointer);
  if (path.length === 0) return structuredClone(value);
  const parent = parentOf(doc, path, op, pointer);
  const last = path[path.length - 1];
  if (Array.isArray(parent))
    parent.splice(
      arrayIndex(parent, last, true, op, pointer),
      0,
      structuredClone(value),
    );
  else (parent as Record<string, unknown>)[last] = structuredClone(value);
  return doc;
}

function remove(doc: unknown, pointer: string, op = 'remove'): unknown {
  const path = parsePointer(pointer);
  const parent = parentOf(doc, path, op, pointer);
  const last = path[path.length - 1];
  if (Array.isArray(parent))
    parent.splice(arrayIndex(parent, last, false, op, pointer), 1);
  else {
    if (!(last in (parent as Record<string, unknown>))) {
      throw patchError(
        `jsonpatch ${op} operation does not apply: doc is missing key: ${pointer}: missing value`,
      );
    }
    delete (parent as Record<string, unknown>)[last];
  }
  return doc;
}

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test). */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) {
    throw badRequest(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  }
  let doc = structuredClone(target);
  for (const raw of ops) {
    if (
      !isRecord(raw) ||
      typeof raw.op !== 'string' ||
      typeof raw.path !== 'string'
    ) {
      throw badRequest(
        'the server rejected our request due to an error in our request: invalid JSON patch operation',
      );
    }
    const o = raw as unknown as JsonPatchOp;
    switch (o.op) {
      case 'add':
        doc = add(doc, o.path, o.value);
        break;
      case 'remove':
        doc = remove(doc, o.path);
        break;
      case 'replace': {
        const path = parsePointer(o.path);
        if (path.length && getAt(doc, path) === undefined) {
          throw patchError(
            `jsonpatch replace operation does not apply: doc is missing key: ${o.path}: missing value`,
          );
        }
        doc = path.length
          ? add(remove(doc, o.path, 'replace'), o.path, o.value, 'replace')
          : structuredClone(o.value);
        break;
      }
      case 'move':
      case 'copy': {
        if (typeof o.from !== 'string')
          throw badRequest(`jsonpatch ${o.op} operation requires "from"`);
        const value = getAt(doc, parsePointer(o.from));
        if (value === undefined) {
          throw patchError(
            `jsonpatch ${o.op} operation does not apply: doc is missing from path: ${o.from}: missing value`,
          );
        }
        if (o.op === 'move') doc = remove(doc, o.from, 'move');
        doc = add(doc, o.path, value, o.op);
        break;
      }
      case 'test': {
        const actual = getAt(doc, parsePointer(o.path));
        if (stableStringify(actual) !== stableStringify(o.value)) {
          throw patchError(`testing value ${o.path} failed: test failed`);
        }
        break;
      }
      default:
        throw badRequest(`Unexpected kind: ${o.op}`);
    }
  }
  return doc;
}
