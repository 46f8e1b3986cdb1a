import { parse } from 'yaml';
import {
  MODEL_CATALOG,
  MODEL_CATALOG_KAITO_VERSION,
  findModel,
  servedModelName,
} from './models';
import {
  describeWithShared,
  readReference,
} from '../__testUtils__/sharedReference';

describe('model catalog', () => {
  it('describes KAITO v0.12.0 with 60 unique models and 25 legacy aliases', () => {
    expect(MODEL_CATALOG_KAITO_VERSION).toBe('0.12.0');
    expect(MODEL_CATALOG).toHaveLength(60);
    expect(new Set(MODEL_CATALOG.map(m => m.hfId.toLowerCase())).size).toBe(60);
    expect(MODEL_CATALOG.filter(m => m.legacyAlias)).toHaveLength(25);
  });

  it('finds by HF id (any case) and legacy alias', () => {
    expect(findModel('microsoft/Phi-4-mini-instruct')?.legacyAlias).toBe(
      'phi-4-mini-instruct',
    );
    expect(findModel('MICROSOFT/PHI-4-MINI-INSTRUCT')?.hfId).toBe(
      'microsoft/Phi-4-mini-instruct',
    );
    expect(findModel('mistral-7b')?.hfId).toBe('mistralai/Mistral-7B-v0.3');
    expect(findModel('falcon-7b')).toBeUndefined();
    expect(findModel('')).toBeUndefined();
    expect(findModel(42 as unknown as string)).toBeUndefined();
  });

  it('derives served names, resolving aliases first', () => {
    expect(servedModelName('microsoft/Phi-4-mini-instruct')).toBe(
      'phi-4-mini-instruct',
    );
    expect(servedModelName('mistral-7b')).toBe('mistral-7b-v0.3');
    expect(servedModelName('gemma-3-4b-instruct')).toBe('gemma-3-4b-it');
    expect(servedModelName('SomeOrg/My-Model-7B')).toBe('my-model-7b');
  });

  it('records runtimes, tuning and gating', () => {
    const phi4mini = findModel('phi-4-mini-instruct')!;
    expect(phi4mini.runtimes).toEqual(['vllm']);
    expect(phi4mini.tuningMethods).toEqual(['lora', 'qlora']);
    expect(findModel('llama-3.1-8b-instruct')!.gated).toBe(true);
    expect(findModel('gemma-3-27b-instruct')!.gated).toBe(true);
    expect(findModel('phi-4')!.gated).toBe(false);
    expect(findModel('openai/gpt-oss-20b')!.quantization).toBe('mxfp4');
    expect(
      findModel('deepseek-ai/DeepSeek-R1-0528')!.architecture,
    ).toMatchObject({ kvLoraRank: 512, qkRopeHeadDim: 64 });
  });
});

describeWithShared(
  'model catalog against KAITO v0.12 model_catalog.yaml',
  () => {
    it('includes every upstream model with matching facts', () => {
      const upstream = parse(readReference('models/model_catalog.yaml'))
        .models as Array<Record<string, unknown>>;
      expect(upstream.length).toBe(MODEL_CATALOG.length);
      for (const u of upstream) {
        const m = findModel(u.name as string);
        expect(m).toBeDefined();
        expect(m!.hfId).toBe(u.name);
        expect(`${m!.weightSizeGiB.toFixed(2)}Gi`).toBe(u.modelFileSize);
        expect(m!.contextLength).toBe(u.modelTokenLimit);
        expect(m!.quantization).toBe(u.quantMethod);
        expect(m!.architecture).toEqual({
          hiddenSize: u.hiddenSize,
          numHiddenLayers: u.numHiddenLayers,
          numAttentionHeads: u.numAttentionHeads,
          numKeyValueHeads: u.numKeyValueHeads,
          ...(u.headDim ? { headDim: u.headDim } : {}),
          ...(u.kvLoraRank ? { kvLoraRank: u.kvLoraRank } : {}),
          ...(u.qkRopeHeadDim ? { qkRopeHeadDim: u.qkRopeHeadDim } : {}),
        });
      }
    });

    it('maps every non-retired legacy preset name of supported_models.yaml', () => {
      const legacy = (
        parse(readReference('models/supported_models.yaml')).models as Array<{
          name: string;
        }>
      )
        .map(m => m.name)
        .filter(n => n !== 'base' && !/^falcon|^phi-2$/.test(n));
      for (const name of legacy)
        expect(findModel(name)?.legacyAlias).toBe(name);
    });
  },
);
