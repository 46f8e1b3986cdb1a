import { PriceTable } from '../catalog/prices';
import {
  buildInferenceWorkspace,
  buildInferenceWorkspaceWithWarnings,
} from './inference';
import { buildTuningWorkspaceWithWarnings } from './tuning';
import { TUNING_INPUT as TUNING } from '../__testUtils__/builderInputs';

const A10 = 'Standard_NV36ads_A10_v5';

describe('builders consult the fit estimator', () => {
  it('gpt-oss-120b on one A10 builds, with a warning naming 8 nodes and their list price', () => {
    const input = {
      name: 'oss',
      model: 'openai/gpt-oss-120b',
      instanceType: A10,
    };
    const { manifest, warnings } = buildInferenceWorkspaceWithWarnings(input);
    // The manifest is exactly what the plain builder returns.
    expect(manifest).toEqual(buildInferenceWorkspace(input));
    expect(warnings).toHaveLength(1);
    const [w] = warnings;
    expect(w).toMatchObject({
      field: 'resource.instanceType',
      code: 'multi-node',
      nodes: 8,
      cost: { region: 'eastus', nodes: 8, perNodeHour: 3.2, perHour: 25.6 },
    });
    expect(w.message).toMatch(
      /^openai\/gpt-oss-120b needs 8 × Standard_NV36ads_A10_v5 \(8 GPUs; one node holds 1\): KAITO will provision 8 nodes and run multi-node vLLM, about 25\.60 USD\/hour \(8 × 3\.20, eastus list price, approximate\)/,
    );
    // ...and names a size that holds it on one node.
    expect(w.message).toMatch(/one node of Standard_\w+ holds it/);
    expect(w.suggestions?.length).toBeGreaterThan(0);
  });

  it('prices in the region asked for, and says when no price is known', () => {
    const input = { name: 'oss', model: 'gpt-oss-120b', instanceType: A10 };
    const [eu] = buildInferenceWorkspaceWithWarnings(input, {
      region: 'westeurope',
    }).warnings;
    expect(eu.cost).toMatchObject({ region: 'westeurope', perHour: 28.16 });
    expect(eu.message).toMatch(
      /about 28\.16 USD\/hour \(8 × 3\.52, westeurope/,
    );

    const none = PriceTable.withOverrides({ replaceBuiltIn: true });
    const [unpriced] = buildInferenceWorkspaceWithWarnings(input, {
      region: 'eastus',
      prices: none,
    }).warnings;
    expect(unpriced.cost).toBeUndefined();
    expect(unpriced.message).toMatch(
      /no USD price for Standard_NV36ads_A10_v5 in eastus; add one under kaito\.prices/,
    );
  });

  it('says when the size cannot hold the model at all', () => {
    const { warnings } = buildInferenceWorkspaceWithWarnings(
      {
        name: 'long',
        model: 'phi-3-mini-128k-instruct',
        instanceType: A10,
      },
      { contextLength: 131072 },
    );
    expect(warnings).toEqual([
      expect.objectContaining({
        field: 'resource.instanceType',
        code: 'cannot-run',
        message: expect.stringMatching(
          /^Cannot run on Standard_NV36ads_A10_v5: GPU memory is too small\. .*leaves no room for weights/,
        ),
      }),
    ]);
  });

  it('no warning when the model fits one node, for uncatalogued models or sizes, BYO nodes or the Transformers runtime', () => {
    const fits = buildInferenceWorkspaceWithWarnings({
      name: 'phi',
      model: 'phi-4-mini-instruct',
      instanceType: 'Standard_NC24ads_A100_v4',
    });
    expect(fits.warnings).toEqual([]);
    const hf = buildInferenceWorkspaceWithWarnings({
      name: 'qwen',
      model: 'Qwen/Qwen3-0.6B',
      instanceType: A10,
    });
    expect(hf.warnings).toEqual([]);
    const byo = buildInferenceWorkspaceWithWarnings({
      name: 'byo',
      model: 'gpt-oss-120b',
      nodeAutoProvisioning: false,
    });
    expect(byo.warnings).toEqual([]);
    // Transformers does not span nodes; the rules refuse a size too small for it instead.
    const tf = buildInferenceWorkspaceWithWarnings({
      name: 'phi',
      model: 'microsoft/phi-4',
      runtime: 'transformers',
      instanceType: 'Standard_NC24ads_A100_v4',
    });
    expect(tf.warnings).toEqual([]);
  });

  it('tuning: warns when the weights alone need more than the one node tuning runs on', () => {
    const { manifest, warnings } = buildTuningWorkspaceWithWarnings({
      ...TUNING,
      model: 'microsoft/phi-4',
      instanceType: A10,
    });
    expect(manifest.tuning?.preset?.name).toBe('microsoft/phi-4');
    expect(warnings).toEqual([
      expect.objectContaining({
        field: 'resource.instanceType',
        code: 'tuning-too-large',
        message: expect.stringMatching(
          /^Tuning runs on one node, but microsoft\/phi-4 needs 2 × Standard_NV36ads_A10_v5 just to serve; the job would run out of GPU memory\. Pick a larger size/,
        ),
      }),
    ]);
    expect(buildTuningWorkspaceWithWarnings(TUNING).warnings).toEqual([]);
  });
});
