import { badRequest } from './errors';
import { ResourceType } from './resources';
import { KubeObject } from './types';

/** One parsed label requirement (`labels.Requirement`). */
export interface LabelRequirement {
  key: string;
  op: 'exists' | '!exists' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';
  values: string[];
}

const KEY_RE =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas outside parentheses. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

function checkKey(key: string): void {
  if (!KEY_RE.test(key) || key.length > 316) {
    throw badRequest(
      `unable to parse requirement: key: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

function checkValue(key: string, value: string): void {
  if (!VALUE_RE.test(value) || value.length > 63) {
    throw badRequest(
      `unable to parse requirement: values[0][${key}]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

const SET_RE = /^(\S+)\s+(in|notin)\s*\((.*)\)$/;
const EQ_RE = /^([^=!<>\s]+)\s*(==|=|!=)\s*([^=!<>\s,]*)$/;
const CMP_RE = /^([^=!<>\s]+)\s*([<>])\s*(-?\d+)$/;
const NOT_EXISTS_RE = /^!\s*([^=!<>\s]+)$/;
const EXISTS_RE = /^([^=!<>\s()]+)$/;

function parseRequirement(part: string): LabelRequirement {
  const set = part.match(SET_RE);
  if (set) {
    const values = set[3].split(',').map(v => v.trim());
    checkKey(set[1]);
    values.forEach(v => checkValue(set[1], v));
    return { key: set[1], op: set[2] as 'in' | 'notin', values };
  }
  const eq = part.match(EQ_RE);
  if (eq) {
    checkKey(eq[1]);
    checkValue(eq[1], eq[3]);
    return { key: eq[1], op: eq[2] === '!=' ? '!=' : '=', values: [eq[3]] };
  }
  const cmp = part.match(CMP_RE);
  if (cmp) {
    checkKey(cmp[1]);
    return { key: cmp[1], op: cmp[2] === '>' ? 'gt' : 'lt', values: [cmp[3]] };
  }
  const notExists = part.match(NOT_EXISTS_RE);
  if (notExists) {
    checkKey(notExists[1]);
    return { key: notExists[1], op: '!exists', values: [] };
  }
  const exists = part.match(EXISTS_RE);
  if (exists) {
    checkKey(exists[1]);
    return { key: exists[1], op: 'exists', values: [] };
  }
  throw badRequest(
    `unable to parse requirement: found '${part}', expected: '=', '!=', '==', 'in', notin'`,
  );
}

/** Parses a `labelSelector` query string; throws a 400 Status on bad syntax. */
export function parseLabelSelector(
  selector: string | undefined,
): LabelRequirement[] {
  if (!selector || !selector.trim()) return [];
  const reqs: LabelRequirement[] = [];
  for (const raw of splitTopLevel(selector)) {
    const part = raw.trim();
    if (!part)
      throw badRequest(
        `unable to parse requirement: found '', expected: identifier`,
      );
    reqs.push(parseRequirement(part));
  }
  return reqs;
}

export function matchesLabels(
  labels: Record<string, string> | undefined,
  reqs: LabelRequirement[],
): boolean {
  const l = labels ?? {};
  return reqs.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case '=':
        return has && v === r.values[0];
      case '!=':
        return !has || v !== r.values[0];
      case 'in':
        return has && r.values.includes(v);
      case 'notin':
        return !has || !r.values.includes(v);
      case 'gt':
        return has && /^-?\d+$/.test(v) && Number(v) > Number(r.values[0]);
      case 'lt':
        return has && /^-?\d+$/.test(v) && Number(v) < Number(r.values[0]);
      default:
        return false;
    }
  });
}

/** Label selector object (`metav1.LabelSelector`) matching, for controllers. */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  selector: { matchLabels?: Record<string, string> } | undefined,
): boolean {
  const want = selector?.matchLabels ?? {};
  return Object.entries(want).every(([k, v]) => labels?.[k] === v);
}

export interface FieldRequirement {
  field: string;
  negate: boolean;
  value: string;
}

/** Parses a `fieldSelector`; only the fields the resource supports are accepted (400 otherwise). */
export function parseFieldSelector(
  selector: string | undefined,
  r: ResourceType,
): FieldRequirement[] {
  if (!selector || !selector.trim()) return [];
  const allowed = [
    'metadata.name',
    'metadata.namespace',
    ...(r.fieldSelectors ?? []),
  ];
  return selector.split(',').map(raw => {
    const part = raw.trim();
    const m = part.match(/^([^=!]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m)
      throw badRequest(
        `invalid selector: '${selector}'; can't understand '${part}'`,
      );
    const field = m[1].trim();
    if (!allowed.includes(field))
      throw badRequest(`field label not supported: ${field}`);
    return { field, negate: m[2] === '!=', value: m[3].trim() };
  });
}

export function matchesFields(
  obj: KubeObject,
  reqs: FieldRequirement[],
): boolean {
  return reqs.every(r => {
    const actual = fieldValue(obj, r.field);
    return r.negate ? actual !== r.value : actual === r.value;
  });
}

function fieldValue(obj: KubeObject, path: string): string {
  if (path === 'source') {
    const src = obj.source as { component?: string } | undefined;
    return src?.component ?? '';
  }
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur && typeof cur === 'object')
      cur = (cur as Record<string, unknown>)[seg];
    else return '';
  }
  return cur === undefined || cur === null ? '' : String(cur);
}
