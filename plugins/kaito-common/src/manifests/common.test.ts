import { KaitoValidationError } from '../errors';
import {
  buildMetadata,
  buildResource,
  buildSelector,
  dedupe,
  finishWorkspace,
  inputObject,
  prune,
} from './common';
import { Issues } from './rules/issues';

// Exact keys, not toEqual: toEqual treats a key holding undefined as absent,
// so it cannot tell a pruned manifest from one full of undefined values.
const keys = (o: object) => Object.keys(o).sort();

describe('prune', () => {
  it('drops undefined values at every depth, in objects and in arrays', () => {
    const out = prune({
      a: 1,
      b: undefined,
      c: { d: undefined, e: 'x', f: { g: undefined } },
      h: [{ i: undefined, j: 2 }, 3],
      n: null,
    });
    expect(keys(out)).toEqual(['a', 'c', 'h', 'n']);
    expect(keys(out.c)).toEqual(['e', 'f']);
    expect(keys(out.c.f)).toEqual([]);
    expect(keys(out.h[0] as object)).toEqual(['j']);
    expect(out.h[1]).toBe(3);
    expect(out.n).toBeNull();
  });

  it('returns scalars as they are', () => {
    expect(prune('s')).toBe('s');
    expect(prune(0)).toBe(0);
    expect(prune(undefined)).toBeUndefined();
  });
});

describe('dedupe', () => {
  it('removes issues with the same field and message only', () => {
    const list = [
      { field: 'a', message: 'm' },
      { field: 'a', message: 'm' },
      { field: 'a', message: 'other' },
      { field: 'b', message: 'm' },
      { field: 'a', message: 'm' },
    ];
    const out = dedupe(list);
    expect(out).toHaveLength(3);
    expect(out.map(i => `${i.field}:${i.message}`)).toEqual([
      'a:m',
      'a:other',
      'b:m',
    ]);
  });

  it('keeps field and message apart when comparing', () => {
    expect(
      dedupe([
        { field: 'ab', message: 'c' },
        { field: 'a', message: 'bc' },
      ]),
    ).toHaveLength(2);
  });
});

describe('buildMetadata', () => {
  it('adds the kubernetes-id label next to the given labels', () => {
    const issues = new Issues();
    const m = buildMetadata(
      { name: 'ws', kubernetesId: 'my-svc', labels: { team: 'a' } },
      issues,
    );
    expect(issues.list).toEqual([]);
    expect(keys(m)).toEqual(['labels', 'name']);
    expect(m.labels).toEqual({
      team: 'a',
      'backstage.io/kubernetes-id': 'my-svc',
    });
  });

  it.each([
    ['an empty string', '', /must be a non-empty string, got the string ""/],
    ['a number', 42, /must be a non-empty string, got a number/],
    [
      'an invalid label value',
      'no spaces allowed',
      /cannot be used as the backstage.io\/kubernetes-id label: label value "no spaces allowed" is invalid/,
    ],
  ])('reports a kubernetesId that is %s', (_what, kubernetesId, message) => {
    const issues = new Issues();
    buildMetadata({ name: 'ws', kubernetesId } as any, issues);
    expect(issues.list).toHaveLength(1);
    expect(issues.list[0].field).toBe('kubernetesId');
    expect(issues.list[0].message).toMatch(message);
  });

  it('has no namespace, labels or annotations keys unless there is something to put there', () => {
    const issues = new Issues();
    const m = buildMetadata({ name: 'ws' }, issues);
    expect(keys(m)).toEqual(['name']);
    const withNs = buildMetadata({ name: 'ws', namespace: 'ml' }, issues);
    expect(keys(withNs)).toEqual(['name', 'namespace']);
    expect(withNs.namespace).toBe('ml');
  });

  it('merges builder annotations over the given ones', () => {
    const m = buildMetadata(
      { name: 'ws', annotations: { a: '1', b: '2' } },
      new Issues(),
      { b: 'builder' },
    );
    expect(m.annotations).toEqual({ a: '1', b: 'builder' });
    expect(keys(m)).toEqual(['annotations', 'name']);
  });

  it('ignores labels and annotations that are not maps', () => {
    const m = buildMetadata(
      { name: 'ws', labels: 'x', annotations: ['y'] } as any,
      new Issues(),
    );
    expect(keys(m)).toEqual(['name']);
  });
});

describe('buildSelector and buildResource', () => {
  it('selects nodes by apps=<name> unless a selector is given', () => {
    expect(buildSelector({ name: 'ws' })).toEqual({
      matchLabels: { apps: 'ws' },
    });
    expect(buildSelector({ name: 'ws', labelSelector: { pool: 'a' } })).toEqual(
      { matchLabels: { pool: 'a' } },
    );
    expect(buildSelector({ name: 7 } as any)).toEqual({
      matchLabels: { apps: '' },
    });
  });

  it('keeps instanceType with auto-provisioning (the default), and drops it for BYO nodes without one', () => {
    expect(keys(buildResource({ name: 'ws' }))).toEqual([
      'instanceType',
      'labelSelector',
    ]);
    expect(
      keys(buildResource({ name: 'ws', nodeAutoProvisioning: false })),
    ).toEqual(['labelSelector']);
    const byoWithType = buildResource({
      name: 'ws',
      nodeAutoProvisioning: false,
      instanceType: 'Standard_NC24ads_A100_v4',
    });
    expect(byoWithType.instanceType).toBe('Standard_NC24ads_A100_v4');
  });
});

describe('inputObject and finishWorkspace', () => {
  it('refuses input that is not an object', () => {
    for (const bad of [null, [], 'x', 3]) {
      const issues = new Issues();
      expect(inputObject(bad, issues)).toEqual({});
      expect(issues.list).toHaveLength(1);
      expect(issues.list[0].field).toBe('input');
      expect(issues.list[0].message).toMatch(
        /^builder input must be an object, got /,
      );
    }
    const ok = { a: 1 };
    const issues = new Issues();
    expect(inputObject(ok, issues)).toBe(ok);
    expect(issues.list).toEqual([]);
  });

  it('throws builder and webhook issues together, each once', () => {
    const manifest = {
      apiVersion: 'kaito.sh/v1beta1',
      kind: 'Workspace',
      metadata: { name: 'ws' },
      resource: { labelSelector: { matchLabels: { apps: 'ws' } } },
      inference: { preset: { name: 'phi-4-mini-instruct' } },
    };
    const issue = { field: 'x', message: 'builder says no' };
    let error: unknown;
    try {
      finishWorkspace(
        manifest,
        [issue, { ...issue }],
        undefined,
        'test Workspace',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KaitoValidationError);
    const issues = (error as KaitoValidationError).issues;
    expect(issues.filter(i => i.field === 'x')).toHaveLength(1);
    // Auto-provisioning is assumed: the missing instanceType is reported.
    expect(issues.map(i => i.field)).toContain('resource.instanceType');
    expect((error as Error).message).toMatch(
      /^Invalid test Workspace: x: builder says no/,
    );
    // For BYO nodes, the same manifest passes.
    expect(finishWorkspace(manifest, [], false, 'test Workspace')).toBe(
      manifest,
    );
  });
});
