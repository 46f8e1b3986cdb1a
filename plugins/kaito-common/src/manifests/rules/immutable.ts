import { Issues, isObj, type Obj } from './issues';

function get(obj: Obj, path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!isObj(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

const IMMUTABLE: Array<{ path: string[]; what: string }> = [
  { path: ['resource', 'count'], what: 'field is immutable' },
  { path: ['resource', 'partition'], what: 'field is immutable' },
  {
    path: ['tuning', 'preset'],
    what: 'the tuning preset cannot be changed once set',
  },
  {
    path: ['tuning', 'method'],
    what: 'the tuning method cannot be changed once set',
  },
  {
    path: ['inference', 'preset'],
    what: 'field is immutable (inference.preset)',
  },
  {
    path: ['tuning', 'input', 'name'],
    what: 'During tuning Name field cannot be changed once set',
  },
];

/** `matchLabels` plus `In` expressions as one map, as KAITO compares selectors (LabelSelectorAsMap). */
function selectorMap(resource: unknown): string {
  const sel =
    isObj(resource) && isObj(resource.labelSelector)
      ? resource.labelSelector
      : {};
  const out: Record<string, string> = {
    ...(isObj(sel.matchLabels)
      ? (sel.matchLabels as Record<string, string>)
      : {}),
  };
  if (Array.isArray(sel.matchExpressions))
    for (const e of sel.matchExpressions)
      if (isObj(e) && typeof e.key === 'string' && Array.isArray(e.values))
        out[e.key] = e.values.join(',');
  return JSON.stringify(
    Object.keys(out)
      .sort()
      .map(k => [k, out[k]]),
  );
}

/**
 * instanceType on update, as KAITO v0.12 decides it: with node
 * auto-provisioning it must stay as it was; without (BYO), an old value may
 * be kept or cleared, and an empty one must stay empty.
 */
function checkInstanceTypeUpdate(
  issues: Issues,
  next: Obj,
  previous: Obj,
  nap: boolean,
): void {
  const field = 'resource.instanceType';
  const before = get(previous, ['resource', 'instanceType']);
  const after = get(next, ['resource', 'instanceType']);
  const was = typeof before === 'string' ? before : '';
  const now = typeof after === 'string' ? after : '';
  if (nap) {
    if (was && now && was !== now)
      issues.add(
        field,
        `instanceType cannot be changed once set when node auto-provisioning is enabled (was ${was}); delete and recreate the Workspace to change it`,
      );
    return;
  }
  if (!was && now)
    issues.add(
      field,
      'must be empty when node auto-provisioning is disabled (BYO nodes); remove instanceType',
    );
  else if (was && now && was !== now)
    issues.add(
      field,
      `instanceType cannot be changed once set (was ${was}); keep it or clear it`,
    );
}

/** KAITO's update rules: compares the new manifest with the stored one. */
export function checkImmutable(
  issues: Issues,
  next: Obj,
  previous: unknown,
  nodeAutoProvisioning = true,
): void {
  if (!isObj(previous)) return;
  checkInstanceTypeUpdate(issues, next, previous, nodeAutoProvisioning);
  if (
    isObj(previous.resource) &&
    selectorMap(previous.resource) !== selectorMap(next.resource)
  )
    issues.add(
      'resource.labelSelector',
      'field is immutable; delete and recreate the Workspace to select other nodes',
    );
  const hadTemplate =
    isObj(previous.inference) && previous.inference.template !== undefined;
  const hasTemplate =
    isObj(next.inference) && next.inference.template !== undefined;
  if (
    isObj(previous.inference) &&
    isObj(next.inference) &&
    hadTemplate !== hasTemplate
  )
    issues.add(
      'inference.template',
      'field cannot be unset/set if it was set/unset; delete and recreate the Workspace',
    );
  const hadInference =
    previous.inference !== undefined && previous.inference !== null;
  const hasInference = next.inference !== undefined && next.inference !== null;
  const hadTuning = previous.tuning !== undefined && previous.tuning !== null;
  const hasTuning = next.tuning !== undefined && next.tuning !== null;
  if (hadInference !== hasInference) {
    issues.add(
      'inference',
      'Inference field cannot be toggled once set; delete the Workspace and create a new one',
    );
  }
  if (hadTuning !== hasTuning) {
    issues.add(
      'tuning',
      'Tuning field cannot be toggled once set; delete the Workspace and create a new one',
    );
  }
  for (const rule of IMMUTABLE) {
    const before = get(previous, rule.path);
    if (before === undefined) continue;
    // A toggled inference/tuning section is reported once, above; KAITO
    // checks the section's own fields only when both sides have it.
    const section = rule.path[0];
    if (
      (section === 'inference' || section === 'tuning') &&
      (!isObj(previous[section]) || !isObj(next[section]))
    )
      continue;
    if (!same(before, get(next, rule.path))) {
      issues.add(
        rule.path.join('.'),
        `${rule.what}; delete and recreate the Workspace to change it`,
      );
    }
  }
}
