import type { WorkspaceV1alpha1, WorkspaceV1beta1 } from '../types/workspace';
import { buildInferenceWorkspace } from './inference';
import { buildTuningWorkspace } from './tuning';
import { validateWorkspace } from './validate';
import { describeWithShared } from '../__testUtils__/sharedReference';
import {
  loadCrdValidators,
  schemaErrors,
  type CrdValidators,
} from '../__testUtils__/crdSchemas';
import {
  issuesOf,
  INFERENCE_INPUT as INFERENCE,
  TUNING_INPUT as TUNING,
} from '../__testUtils__/builderInputs';

describe('builders: apiVersion', () => {
  it('default to kaito.sh/v1beta1', () => {
    const ws: WorkspaceV1beta1 = buildInferenceWorkspace(INFERENCE);
    expect(ws.apiVersion).toBe('kaito.sh/v1beta1');
    expect(
      buildInferenceWorkspace({ ...INFERENCE, apiVersion: 'kaito.sh/v1beta1' })
        .apiVersion,
    ).toBe('kaito.sh/v1beta1');
  });

  it('emit kaito.sh/v1alpha1 when asked, for inference and tuning, valid under the v1alpha1 rules', () => {
    const ws: WorkspaceV1alpha1 = buildInferenceWorkspace({
      ...INFERENCE,
      apiVersion: 'kaito.sh/v1alpha1',
    });
    expect(ws.apiVersion).toBe('kaito.sh/v1alpha1');
    expect(ws.inference?.preset).toEqual({ name: 'phi-4-mini-instruct' });
    expect(validateWorkspace(ws)).toEqual([]);
    const tune: WorkspaceV1alpha1 = buildTuningWorkspace({
      ...TUNING,
      apiVersion: 'kaito.sh/v1alpha1',
    });
    expect(tune.apiVersion).toBe('kaito.sh/v1alpha1');
    expect(validateWorkspace(tune)).toEqual([]);
  });

  it('refuse a gated model on v1alpha1, which has no modelAccessSecret, naming v1beta1 as the fix', () => {
    const gated = {
      ...INFERENCE,
      model: 'meta-llama/Llama-3.1-8B-Instruct',
      apiVersion: 'kaito.sh/v1alpha1' as const,
    };
    const without = issuesOf(() => buildInferenceWorkspace(gated));
    expect(without).toEqual([
      expect.stringMatching(
        /^modelAccessSecret: .*gated.*kaito\.sh\/v1alpha1 has no .*modelAccessSecret.*kaito\.sh\/v1beta1/,
      ),
    ]);
    const withSecret = issuesOf(() =>
      buildInferenceWorkspace({ ...gated, modelAccessSecret: 'hf-token' }),
    );
    expect(withSecret).toEqual([
      expect.stringMatching(
        /^inference\.preset\.presetOptions\.modelAccessSecret: exists only in kaito\.sh\/v1beta1/,
      ),
    ]);
  });

  it('refuse an unknown apiVersion, naming the two served versions', () => {
    const bad = { ...INFERENCE, apiVersion: 'kaito.sh/v1' } as never;
    expect(issuesOf(() => buildInferenceWorkspace(bad))).toEqual([
      'apiVersion: must be "kaito.sh/v1beta1" or "kaito.sh/v1alpha1", got the string "kaito.sh/v1"',
    ]);
    expect(
      issuesOf(() =>
        buildTuningWorkspace({ ...TUNING, apiVersion: 'v1' } as never),
      ),
    ).toEqual([
      'apiVersion: must be "kaito.sh/v1beta1" or "kaito.sh/v1alpha1", got the string "v1"',
    ]);
  });
});

describeWithShared('builders: v1alpha1 against the CRD schema', () => {
  let workspace: CrdValidators;
  beforeAll(() => {
    workspace = loadCrdValidators('kaito.sh_workspaces.yaml');
  });

  it('a built v1alpha1 inference Workspace (adapters, config, annotations) validates against the v1alpha1 schema', () => {
    const ws = buildInferenceWorkspace({
      ...INFERENCE,
      model: 'microsoft/phi-4',
      apiVersion: 'kaito.sh/v1alpha1',
      runtime: 'transformers',
      config: 'phi-config',
      kubernetesId: 'phi-svc',
      adapters: [{ name: 'a1', image: 'myacr.azurecr.io/a1:1', strength: 0.5 }],
    });
    expect(ws.apiVersion).toBe('kaito.sh/v1alpha1');
    expect(schemaErrors(workspace.v1alpha1, ws)).toEqual([]);
  });

  it('a built v1alpha1 tuning Workspace validates against the v1alpha1 schema', () => {
    const ws = buildTuningWorkspace({
      ...TUNING,
      apiVersion: 'kaito.sh/v1alpha1',
    });
    expect(ws.apiVersion).toBe('kaito.sh/v1alpha1');
    expect(schemaErrors(workspace.v1alpha1, ws)).toEqual([]);
  });

  it('the v1beta1-only field makes a v1alpha1 object schema-invalid (why the builder refuses it)', () => {
    const ws = {
      ...buildInferenceWorkspace({
        ...INFERENCE,
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        modelAccessSecret: 'hf-token',
      }),
      apiVersion: 'kaito.sh/v1alpha1',
    };
    expect(schemaErrors(workspace.v1alpha1, ws).join('\n')).toMatch(
      /presetOptions must NOT have additional properties/,
    );
  });
});
