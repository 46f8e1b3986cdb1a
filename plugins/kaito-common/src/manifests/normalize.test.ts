import { buildInferenceWorkspace } from './inference';
import { buildTuningWorkspace } from './tuning';
import { validateWorkspace } from './validate';
import {
  INFERENCE_INPUT as INFERENCE,
  TUNING_INPUT as TUNING,
} from '../__testUtils__/builderInputs';

describe('builders write the value they validated', () => {
  it.each([
    ['phi-4-mini-instruct ', 'phi-4-mini-instruct'],
    ['  PHI-4-Mini-Instruct', 'phi-4-mini-instruct'],
    ['microsoft/phi-4-mini-instruct', 'microsoft/Phi-4-mini-instruct'],
    [' MICROSOFT/PHI-4-MINI-INSTRUCT\t', 'microsoft/Phi-4-mini-instruct'],
    // Uncatalogued HF ids keep their case (Hugging Face repo ids are case-sensitive); only spaces go.
    [' Qwen/Qwen3-0.6B ', 'Qwen/Qwen3-0.6B'],
  ])('model %j is written as %j', (model, canonical) => {
    const ws = buildInferenceWorkspace({ ...INFERENCE, model });
    expect(ws.inference?.preset?.name).toBe(canonical);
    expect(validateWorkspace(ws)).toEqual([]);
  });

  it.each([
    ['Standard_NC24ads_A100_v4 ', 'Standard_NC24ads_A100_v4'],
    ['standard_nc24ads_a100_v4', 'Standard_NC24ads_A100_v4'],
    [' STANDARD_NV36ADS_A10_V5', 'Standard_NV36ads_A10_v5'],
  ])('instanceType %j is written as %j', (instanceType, canonical) => {
    const ws = buildInferenceWorkspace({ ...INFERENCE, instanceType });
    expect(ws.resource?.instanceType).toBe(canonical);
  });

  it('tuning: the canonical preset name and size', () => {
    const ws = buildTuningWorkspace({
      ...TUNING,
      model: ' Microsoft/Phi-3-Mini-4k-Instruct ',
      instanceType: 'standard_nc24ads_a100_v4 ',
    });
    expect(ws.tuning?.preset).toEqual({
      name: 'microsoft/Phi-3-mini-4k-instruct',
    });
    expect(ws.resource?.instanceType).toBe('Standard_NC24ads_A100_v4');
  });

  it('a gated model is recognised (and needs its Secret) whatever the spacing', () => {
    expect(() =>
      buildInferenceWorkspace({
        ...INFERENCE,
        model: ' meta-llama/llama-3.1-8b-instruct ',
      }),
    ).toThrow(/modelAccessSecret: meta-llama\/Llama-3.1-8B-Instruct is gated/);
  });
});

describe('validateWorkspace on a hand-written manifest with spaces', () => {
  const manifest = (preset: string, instanceType: string) => ({
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name: 'phi' },
    resource: {
      instanceType,
      labelSelector: { matchLabels: { apps: 'phi' } },
    },
    inference: { preset: { name: preset } },
  });

  it('reports a preset name KAITO would not find, with the fix', () => {
    expect(
      validateWorkspace(
        manifest('phi-4-mini-instruct ', 'Standard_NC24ads_A100_v4'),
      ),
    ).toEqual([
      {
        field: 'inference.preset.name',
        message:
          '"phi-4-mini-instruct " has leading or trailing spaces, which KAITO does not strip, so it would not find the model; use "phi-4-mini-instruct"',
      },
    ]);
  });

  it('reports an instance type node provisioning would not find, with the fix', () => {
    expect(
      validateWorkspace(
        manifest('phi-4-mini-instruct', ' Standard_NC24ads_A100_v4'),
      ),
    ).toEqual([
      {
        field: 'resource.instanceType',
        message:
          '" Standard_NC24ads_A100_v4" has leading or trailing spaces, which KAITO does not strip, so no node of that size would be provisioned; use "Standard_NC24ads_A100_v4"',
      },
    ]);
  });
});
