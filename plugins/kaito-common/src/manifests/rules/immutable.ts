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
  {
    path: ['resource', 'instanceType'],
    what: 'instanceType cannot be changed once set',
  },
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
];

/** KAITO's update rules: compares the new manifest with the stored one. */
export function checkImmutable(
  issues: Issues,
  next: Obj,
  previous: unknown,
): void {
  if (!isObj(previous)) return;
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
    if (!same(before, get(next, rule.path))) {
      issues.add(
        rule.path.join('.'),
        `${rule.what}; delete and recreate the Workspace to change it`,
      );
    }
  }
}
