import { findModel, RETIRED_PRESETS } from '../catalog/models';
import { buildTuningWorkspace } from './tuning';
import { buildInferenceWorkspace } from './inference';
import { KaitoValidationError } from '../errors';

/** The `<field>: <message>` the builder throws for the preset name. */
function presetIssue(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    if (e instanceof KaitoValidationError) {
      const hit = e.issues.find(i => i.field.endsWith('preset.name'));
      if (hit) return hit.message;
    }
    throw e;
  }
  throw new Error('the builder did not throw');
}

/** The model a refusal suggests: "…; use <hfId> instead, …". */
function suggested(message: string) {
  const m = /; use (\S+) instead/.exec(message);
  expect(m).not.toBeNull();
  const model = findModel(m![1]);
  expect(model).toBeDefined();
  return model!;
}

const inference = (model: string) => () =>
  buildInferenceWorkspace({
    name: 'old',
    instanceType: 'Standard_NC24ads_A100_v4',
    model,
  });

const tuning = (model: string) => () =>
  buildTuningWorkspace({
    name: 'old',
    instanceType: 'Standard_NC24ads_A100_v4',
    model,
    method: 'lora',
    input: { urls: ['https://example.com/data.parquet'] },
    output: { image: 'registry.example.com/a:1', imagePushSecret: 'p' },
  });

describe('retired presets suggest a current model of similar size', () => {
  it.each([
    ['falcon-7b', 14],
    ['falcon-7b-instruct', 14],
    ['falcon-40b', 90],
    ['falcon-40b-instruct', 90],
  ])('%s (KAITO v0.6.2 needed %d GiB of GPU memory)', (name, gib) => {
    const message = presetIssue(inference(name));
    expect(message).toMatch(
      new RegExp(
        `^Model ${name} is deprecated and no longer supported by KAITO; use \\S+ instead, a current model of similar size \\([\\d.]+ GiB of weights; ${name} needed ${gib} GiB of GPU memory\\)$`,
      ),
    );
    const model = suggested(message);
    // Similar size: within a factor of 1.6 either way, served without a token, a text model.
    expect(model.weightSizeGiB / gib).toBeGreaterThan(1 / 1.6);
    expect(model.weightSizeGiB / gib).toBeLessThan(1.6);
    expect(model.gated).toBe(false);
    expect(model.task).toBe('text-generation');
    expect(RETIRED_PRESETS[name]).toBe(model.hfId);
  });

  it('in a tuning Workspace the suggestion is a model KAITO can tune', () => {
    const message = presetIssue(tuning('falcon-7b'));
    expect(message).toMatch(/^Model falcon-7b is deprecated/);
    expect(suggested(message).tuningMethods).toContain('lora');
  });

  it('phi-2 keeps its named successor', () => {
    expect(presetIssue(inference('phi-2'))).toMatch(
      /^Model phi-2 is deprecated and no longer supported by KAITO; use microsoft\/Phi-4-mini-instruct instead/,
    );
    expect(RETIRED_PRESETS['phi-2']).toBe('microsoft/Phi-4-mini-instruct');
  });
});
