import {
  editDistance,
  similarInstanceTypes,
  similarModels,
} from '../catalog/similar';
import {
  buildInferenceWorkspace,
  buildInferenceWorkspaceWithWarnings,
} from './inference';
import { buildTuningWorkspace } from './tuning';
import { validateWorkspace } from './validate';
import {
  issuesOf,
  INFERENCE_INPUT as INFERENCE,
} from '../__testUtils__/builderInputs';

describe('editDistance and the similar-name lookups', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('finds the closest supported sizes, case-insensitively, and nothing for a far-off name', () => {
    expect(
      similarInstanceTypes('Standard_NC24ads_A100_v5').map(s => s.instanceType),
    ).toEqual(['Standard_NC24ads_A100_v4']);
    expect(
      similarInstanceTypes('standard_nc24ads_a100').map(s => s.instanceType),
    ).toEqual(['Standard_NC24ads_A100_v4']);
    expect(similarInstanceTypes('Standard_Foo')).toEqual([]);
  });

  it('finds catalog models by HF id, alias or last segment', () => {
    const ids = (n: string, o?: Parameters<typeof similarModels>[1]) =>
      similarModels(n, o).map(m => m.hfId);
    expect(ids('microsoft/Phi-4-mini-instrct')).toEqual([
      'microsoft/Phi-4-mini-instruct',
    ]);
    expect(ids('microsft/phi-4')).toEqual(['microsoft/phi-4']);
    expect(ids('phi-4-mini-instrct')).toEqual([
      'microsoft/Phi-4-mini-instruct',
    ]);
    // A different size or version is a different model, not a typo...
    expect(ids('Qwen/Qwen3-4B', { numbersAreTypos: false })).toEqual([]);
    expect(
      ids('meta-llama/Llama-3.2-8B-Instruct', { numbersAreTypos: false }),
    ).toEqual([]);
    // ...unless the name is wrong anyway.
    expect(ids('phi-5-mini-instruct')).toEqual([
      'microsoft/Phi-4-mini-instruct',
    ]);
  });
});

describe('"did you mean" where a name is already refused', () => {
  it('a size one character off the SKU table', () => {
    const issues = validateWorkspace({
      ...buildInferenceWorkspace(INFERENCE),
      resource: {
        instanceType: 'Standard_NC24ads_A100_v5',
        labelSelector: { matchLabels: { apps: 'phi' } },
      },
    });
    expect(issues).toEqual([
      expect.objectContaining({
        field: 'resource.instanceType',
        message: expect.stringMatching(
          /^Standard_NC24ads_A100_v5 is not in KAITO's SKU table; did you mean Standard_NC24ads_A100_v4 \(1 × NVIDIA A100, 80 GiB\)\?/,
        ),
        override: 'unknownInstanceType',
      }),
    ]);
    // The builders refuse it with the same message.
    expect(
      issuesOf(() =>
        buildInferenceWorkspace({
          ...INFERENCE,
          instanceType: 'Standard_NC24ads_A100_v5',
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^resource\.instanceType: .*did you mean Standard_NC24ads_A100_v4/,
      ),
    ]);
  });

  it('a size without the Standard_N prefix gets the closest sizes before the examples', () => {
    expect(
      issuesOf(() =>
        buildInferenceWorkspace({ ...INFERENCE, instanceType: 'g7.xlarge' }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^resource\.instanceType: Unsupported instance type "g7\.xlarge"; did you mean g6\.xlarge .*\? Otherwise use a GPU size from KAITO's SKU table/,
      ),
    ]);
    expect(
      issuesOf(() =>
        buildInferenceWorkspace({ ...INFERENCE, instanceType: 'Foo' }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^resource\.instanceType: Unsupported instance type "Foo"; use a GPU size/,
      ),
    ]);
  });

  it('a preset name that is neither catalog model nor HF id', () => {
    expect(
      issuesOf(() =>
        buildInferenceWorkspace({ ...INFERENCE, model: 'phi-4-mini-instrct' }),
      ),
    ).toEqual([
      'inference.preset.name: "phi-4-mini-instrct" is neither a catalog model nor a Hugging Face id; did you mean phi-4-mini-instruct (microsoft/Phi-4-mini-instruct)? Otherwise use the form <org>/<model>, e.g. microsoft/Phi-4-mini-instruct',
    ]);
  });

  it('a tuning preset close to a tunable model', () => {
    expect(
      issuesOf(() =>
        buildTuningWorkspace({
          name: 'tune',
          instanceType: 'Standard_NC24ads_A100_v4',
          model: 'microsoft/Phi-3-mini-4k-instrct',
          method: 'qlora',
          input: { urls: ['https://example.com/data.parquet'] },
          output: { image: 'registry.example.com/a:1', imagePushSecret: 'p' },
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^tuning\.preset\.name: Unsupported tuning preset name microsoft\/Phi-3-mini-4k-instrct; did you mean microsoft\/Phi-3-mini-4k-instruct\? KAITO tunes only: /,
      ),
    ]);
  });
});

describe('"did you mean" as a warning where KAITO accepts the name', () => {
  it('an HF id one typo off a catalog model builds, with a warning', () => {
    const { manifest, warnings } = buildInferenceWorkspaceWithWarnings({
      ...INFERENCE,
      model: 'meta-llama/Llama-3.1-8B-Instuct',
    });
    expect(manifest.inference?.preset?.name).toBe(
      'meta-llama/Llama-3.1-8B-Instuct',
    );
    expect(validateWorkspace(manifest)).toEqual([]);
    expect(warnings).toEqual([
      {
        field: 'inference.preset.name',
        code: 'did-you-mean',
        suggestions: ['meta-llama/Llama-3.1-8B-Instruct'],
        message:
          "meta-llama/Llama-3.1-8B-Instuct is not in KAITO's model catalog, so KAITO will try it as-is from Hugging Face (no fit estimate, and a misspelt id fails only when the pod starts); did you mean meta-llama/Llama-3.1-8B-Instruct (gated: needs modelAccessSecret)?",
      },
    ]);
  });

  it('other uncatalogued HF ids, other sizes of a catalog model included, get no warning', () => {
    for (const model of ['Qwen/Qwen3-0.6B', 'Qwen/Qwen3-4B', 'ibm/foo-bar']) {
      expect(
        buildInferenceWorkspaceWithWarnings({ ...INFERENCE, model }).warnings,
      ).toEqual([]);
    }
  });
});
