import {
  isWorkspace,
  isWorkspaceV1alpha1,
  isWorkspaceV1beta1,
  normalizeWorkspace,
  workspaceRuntime,
  KAITO_GROUP,
  WORKSPACE_PLURAL,
  WORKSPACE_VERSIONS,
} from './workspace';

const beta = {
  apiVersion: 'kaito.sh/v1beta1',
  kind: 'Workspace',
  metadata: {
    name: 'ws',
    namespace: 'ml',
    labels: { a: 'b', n: 1 },
    annotations: { 'kaito.sh/runtime': 'transformers' },
  },
  resource: {
    instanceType: 'Standard_NC24ads_A100_v4',
    labelSelector: { matchLabels: { apps: 'ws' } },
  },
  inference: { preset: { name: 'phi-4' } },
  status: {
    state: 'Ready',
    targetNodeCount: 1,
    conditions: [{ type: 'InferenceReady', status: 'True' }, 'junk'],
  },
};

describe('workspace helpers', () => {
  it('exposes the API coordinates', () => {
    expect([KAITO_GROUP, WORKSPACE_PLURAL, WORKSPACE_VERSIONS]).toEqual([
      'kaito.sh',
      'workspaces',
      ['v1beta1', 'v1alpha1'],
    ]);
  });

  it('recognizes both served versions', () => {
    expect(isWorkspace(beta)).toBe(true);
    expect(isWorkspaceV1beta1(beta)).toBe(true);
    const alpha = { ...beta, apiVersion: 'kaito.sh/v1alpha1' };
    expect(isWorkspaceV1alpha1(alpha)).toBe(true);
    expect(isWorkspace({ ...beta, apiVersion: 'kaito.sh/v2' })).toBe(false);
    expect(isWorkspace({ ...beta, kind: 'RAGEngine' })).toBe(false);
    expect(
      isWorkspace({ apiVersion: 'kaito.sh/v1beta1', kind: 'Workspace' }),
    ).toBe(false);
    expect(isWorkspace(null)).toBe(false);
  });

  it('normalizes to one shape whatever the version', () => {
    const n = normalizeWorkspace(beta);
    expect(n.metadata).toMatchObject({
      name: 'ws',
      namespace: 'ml',
      labels: { a: 'b' },
    });
    expect(n.status.conditions).toEqual([
      { type: 'InferenceReady', status: 'True' },
    ]);
    expect(n.mode).toBe('inference');
    expect(n.sourceApiVersion).toBe('kaito.sh/v1beta1');
    const alpha = normalizeWorkspace({
      apiVersion: 'kaito.sh/v1alpha1',
      kind: 'Workspace',
      metadata: {},
      tuning: { input: {}, output: {} },
    });
    expect(alpha).toMatchObject({
      mode: 'tuning',
      sourceApiVersion: 'kaito.sh/v1alpha1',
      metadata: { name: '', namespace: 'default' },
      status: { conditions: [] },
      resource: { labelSelector: {} },
    });
  });

  it('throws a clear Error only for non-Workspaces', () => {
    expect(() => normalizeWorkspace({ kind: 'Pod', apiVersion: 'v1' })).toThrow(
      'Not a KAITO Workspace (kind "Pod" apiVersion "v1")',
    );
    expect(() => normalizeWorkspace('x')).toThrow(
      /Not a KAITO Workspace \(string\)/,
    );
  });

  it('reads the runtime annotation (vLLM by default)', () => {
    expect(workspaceRuntime(beta)).toBe('transformers');
    expect(
      workspaceRuntime({
        metadata: { annotations: { 'kaito.sh/runtime': 'vllm' } },
      }),
    ).toBe('vllm');
    expect(workspaceRuntime({ metadata: {} })).toBe('vllm');
    expect(workspaceRuntime(undefined)).toBe('vllm');
  });
});
