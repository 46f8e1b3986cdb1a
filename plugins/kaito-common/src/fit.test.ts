import { MODEL_CATALOG, ModelInfo, findModel } from './catalog/models';
import { findSku, SkuInfo, SKU_TABLE } from './catalog/skus';
import {
  DEFAULT_ESTIMATOR_CONTEXT_LENGTH,
  estimateFit,
  kvCacheBytesPerToken,
} from './fit';
import { describeWithShared, readCsv } from './__testUtils__/sharedReference';

function nodesOf(r: ReturnType<typeof estimateFit>): string {
  return r.verdict === 'cannot-run' ? 'x' : String(r.nodes);
}

describeWithShared(
  'estimateFit reproduces estimated_nodes_per_sku_v0.12.0.csv',
  () => {
    let rows: Array<Record<string, string>> = [];
    let skuColumns: string[] = [];
    beforeAll(() => {
      rows = readCsv('derived/estimated_nodes_per_sku_v0.12.0.csv');
      skuColumns = Object.keys(rows[0]).filter(k => k.includes('('));
    });

    it('covers every catalog model', () => {
      expect(rows.map(r => r.model).sort()).toEqual(
        MODEL_CATALOG.map(m => m.hfId).sort(),
      );
    });

    it('matches every model × SKU node count and KV bytes/token', () => {
      const mismatches: string[] = [];
      let compared = 0;
      for (const row of rows) {
        const model = findModel(row.model)!;
        expect(model).toBeDefined();
        expect(kvCacheBytesPerToken(model)).toBe(Number(row.bytesPerToken));
        expect(`${model.weightSizeGiB.toFixed(2)}Gi`).toBe(row.modelFileSize);
        for (const col of skuColumns) {
          const sku = findSku(`Standard_${/\((.*)\)/.exec(col)![1]}`)!;
          expect(sku).toBeDefined();
          const got = nodesOf(estimateFit(model, sku));
          compared++;
          if (got !== row[col])
            mismatches.push(
              `${row.model} on ${sku.instanceType}: ${got} != ${row[col]}`,
            );
        }
      }
      expect(mismatches).toEqual([]);
      expect(compared).toBe(rows.length * skuColumns.length);
    });
  },
);

describe('estimateFit', () => {
  const a100 = findSku('Standard_NC24ads_A100_v4')!;
  const a10 = findSku('Standard_NV36ads_A10_v5')!;

  it('says fits for a small model and shows the arithmetic', () => {
    const r = estimateFit(findModel('phi-4-mini-instruct')!, a100);
    expect(r.verdict).toBe('fits');
    if (r.verdict === 'cannot-run') throw new Error('unexpected');
    expect(r.nodes).toBe(1);
    expect(r.arithmetic.budgetPerGpuGiB).toBeCloseTo(80 * 0.84, 2);
    expect(r.arithmetic.weightsNeededGiB).toBeCloseTo(7.15 * 1.02, 3);
    expect(r.arithmetic.explanation).toMatch(/budget 80 GiB × 0.84/);
    expect(r.summary).toMatch(/Fits on one Standard_NC24ads_A100_v4/);
  });

  it('counts nodes for a large model', () => {
    const r = estimateFit(
      findModel('meta-llama/Llama-3.3-70B-Instruct')!,
      a100,
    );
    expect(r).toMatchObject({ verdict: 'needs-nodes', nodes: 3 });
    if (r.verdict !== 'needs-nodes') throw new Error('unexpected');
    expect(r.arithmetic.minGpus).toBe(3);
    expect(r.summary).toMatch(/Needs 3 × Standard_NC24ads_A100_v4/);
  });

  it('grows with context length (KV cache)', () => {
    const m = findModel('microsoft/phi-4')!;
    const short = estimateFit(m, a100, { contextLength: 2048 });
    const long = estimateFit(m, a100, { contextLength: 16384 });
    if (short.verdict === 'cannot-run' || long.verdict === 'cannot-run')
      throw new Error('unexpected');
    expect(long.arithmetic.kvCacheGiB).toBeGreaterThan(
      short.arithmetic.kvCacheGiB,
    );
    expect(long.arithmetic.kvCacheGiB).toBeCloseTo(
      (204800 * 16384) / 1024 ** 3,
      3,
    );
  });

  it('caps the context at the model limit with a warning', () => {
    const r = estimateFit(findModel('phi-3-mini-4k-instruct')!, a100, {
      contextLength: 100000,
    });
    expect(r.warnings.join(' ')).toMatch(/at most 4096 tokens/);
  });

  it('explains why a retired size cannot run', () => {
    const r = estimateFit(
      findModel('phi-4-mini-instruct')!,
      findSku('Standard_NC6s_v3')!,
    );
    expect(r.verdict).toBe('cannot-run');
    if (r.verdict !== 'cannot-run') throw new Error('unexpected');
    expect(r.reason).toMatch(/V100.*removed.*v0\.9\.0/);
  });

  it('explains why non-NVIDIA accelerators cannot run', () => {
    const r = estimateFit(
      findModel('phi-4-mini-instruct')!,
      findSku('Standard_NG32ads_V620_v1')!,
    );
    expect(r).toMatchObject({ verdict: 'cannot-run' });
    if (r.verdict !== 'cannot-run') throw new Error('unexpected');
    expect(r.reason).toMatch(/NVIDIA/);
  });

  it('says in words when the GPU is too small for the KV reserve', () => {
    const tinyGpu = {
      ...a10,
      instanceType: 'test',
      gpuMemoryGiB: 3,
      gpuMemoryPerGpuGiB: 3,
    };
    const r = estimateFit(findModel('microsoft/phi-4')!, tinyGpu);
    expect(r.verdict).toBe('cannot-run');
    if (r.verdict !== 'cannot-run') throw new Error('unexpected');
    expect(r.reason).toMatch(/no room for weights/);
    expect(r.arithmetic?.explanation).toMatch(/no room is left/);
  });

  it('warns that A10 runs vLLM at 0.82 when the estimate is tight', () => {
    // granite-4.1-8b fits one A10 at the estimator's 0.84 but not at vLLM's 0.82.
    const r = estimateFit(findModel('ibm-granite/granite-4.1-8b')!, a10);
    expect(r).toMatchObject({ verdict: 'fits' });
    expect(r.warnings.join(' ')).toMatch(/0\.82/);
    const roomy = estimateFit(findModel('phi-4-mini-instruct')!, a10);
    expect(roomy.warnings).toEqual([]);
  });

  it('rejects a bad context length without throwing', () => {
    for (const contextLength of [0, -5, 1.5, Number.NaN]) {
      const r = estimateFit(findModel('phi-4')!, a100, { contextLength });
      expect(r.verdict).toBe('cannot-run');
    }
  });

  it('gives an answer for every catalog model on every supported SKU', () => {
    for (const m of MODEL_CATALOG) {
      for (const s of SKU_TABLE) {
        const r = estimateFit(m, s);
        expect(r.summary.length).toBeGreaterThan(10);
      }
    }
  });
});

describe('estimateFit arithmetic, step by step', () => {
  // A made-up model and node whose numbers are easy to follow by hand.
  const model: ModelInfo = {
    ...findModel('phi-4-mini-instruct')!,
    hfId: 'test/model',
    weightSizeGiB: 100,
    contextLength: 8192,
    distributedInference: true,
    architecture: {
      ...findModel('phi-4-mini-instruct')!.architecture,
      numHiddenLayers: 32,
      numKeyValueHeads: 8,
      headDim: 128,
      kvLoraRank: undefined,
      qkRopeHeadDim: undefined,
    },
  };
  const node: SkuInfo = {
    ...findSku('Standard_NC96ads_A100_v4')!,
    instanceType: 'Standard_Test_4xGPU',
    gpuCount: 4,
    gpuModel: 'NVIDIA A100',
    gpuMemoryGiB: 160,
    gpuMemoryPerGpuGiB: 40,
    supported: true,
  };

  it('spreads the KV cache over the GPUs of a node (divides, never multiplies)', () => {
    const r = estimateFit(model, node, { contextLength: 8192 });
    if (r.verdict === 'cannot-run') throw new Error(r.reason);
    const a = r.arithmetic;
    // 2 × 8 heads × 128 × 32 layers × 2 bytes
    expect(a.kvBytesPerToken).toBe(131072);
    expect(a.kvCacheGiB).toBe(1); // 131072 × 8192 bytes
    expect(a.gpuMemoryPerGpuGiB).toBe(40);
    expect(a.budgetPerGpuGiB).toBe(33.6);
    expect(a.reservePerGpuGiB).toBe(2.55); // 2.3 + 1 / 4
    expect(a.weightsPerGpuGiB).toBe(round3((33.6 - 2.55) / 1.05));
    expect(a.weightsNeededGiB).toBe(102);
    expect(a.minGpus).toBe(Math.floor(102 / ((33.6 - 2.55) / 1.05)) + 1);
    expect(a.minGpus).toBe(4);
    expect(a.nodes).toBe(1);
    expect(r).toMatchObject({ verdict: 'fits', nodes: 1 });
    expect(r.summary).toBe(
      'Fits on one Standard_Test_4xGPU (4 × NVIDIA A100).',
    );
    expect(a.explanation).toBe(
      'budget 40 GiB × 0.84 = 33.6 GiB per GPU; reserve 2.3 GiB + KV 1 GiB (8192 tokens × 131072 B) / 4 GPU = 2.55 GiB; ' +
        `room for weights (33.6 − 2.55) / 1.05 = ${a.weightsPerGpuGiB} GiB per GPU; weights 100 GiB × 1.02 = 102 GiB; ` +
        `GPUs ⌊102 / ${a.weightsPerGpuGiB}⌋ + 1 = 4; nodes ⌈4 / 4⌉ = 1.`,
    );
  });

  it('counts nodes as GPUs needed over GPUs per node, rounded up', () => {
    const big = { ...model, weightSizeGiB: 200 };
    const r = estimateFit(big, node, { contextLength: 8192 });
    expect(r).toMatchObject({ verdict: 'needs-nodes', nodes: 2 });
    if (r.verdict !== 'needs-nodes') throw new Error('unexpected');
    expect(r.arithmetic.minGpus).toBe(7);
    expect(r.summary).toBe(
      'Needs 2 × Standard_Test_4xGPU (7 GPUs; one node holds 4), as multi-node vLLM.',
    );
  });

  it('refuses a model that needs several nodes but cannot be spread across them', () => {
    const big = { ...model, weightSizeGiB: 200, distributedInference: false };
    const r = estimateFit(big, node, { contextLength: 8192 });
    expect(r.verdict).toBe('cannot-run');
    if (r.verdict !== 'cannot-run') throw new Error('unexpected');
    expect(r.reason).toBe(
      'test/model needs 7 GPUs but cannot be spread across nodes, and one Standard_Test_4xGPU has only 4; pick a size with more GPU memory.',
    );
    expect(r.summary).toBe(
      'Cannot run on Standard_Test_4xGPU: needs more than one node.',
    );
    expect(r.arithmetic?.nodes).toBe(2);
    // Fitting on one node needs no spreading.
    const small = { ...model, distributedInference: false };
    expect(estimateFit(small, node, { contextLength: 8192 }).verdict).toBe(
      'fits',
    );
  });

  it('sizes the KV cache for the default context unless told otherwise', () => {
    const r = estimateFit(model, node);
    if (r.verdict === 'cannot-run') throw new Error(r.reason);
    expect(r.arithmetic.contextLength).toBe(DEFAULT_ESTIMATOR_CONTEXT_LENGTH);
    expect(r.arithmetic.kvCacheGiB).toBe(0.25);
    expect(r.warnings).toEqual([]);
  });

  it('uses the model limit, with a warning, for a longer context; the limit itself is fine', () => {
    const over = estimateFit(model, node, { contextLength: 8193 });
    if (over.verdict === 'cannot-run') throw new Error(over.reason);
    expect(over.arithmetic.contextLength).toBe(8192);
    expect(over.warnings).toEqual([
      'test/model supports at most 8192 tokens; estimated for that instead of 8193.',
    ]);
    const exact = estimateFit(model, node, { contextLength: 8192 });
    expect(exact.warnings).toEqual([]);
  });

  it('accepts a one-token context and refuses zero, fractions and infinity, naming the value', () => {
    expect(estimateFit(model, node, { contextLength: 1 }).verdict).toBe('fits');
    for (const bad of [0, 0.5, Number.POSITIVE_INFINITY]) {
      const r = estimateFit(model, node, { contextLength: bad });
      expect(r).toMatchObject({
        verdict: 'cannot-run',
        summary: 'Cannot estimate: invalid context length.',
      });
      if (r.verdict !== 'cannot-run') throw new Error('unexpected');
      expect(r.reason).toBe(
        `context length ${bad} is not a positive whole number of tokens; use e.g. 2048`,
      );
    }
  });

  it('explains an unsupported size in its own words, or a default', () => {
    const retired = { ...node, supported: false, unsupportedReason: 'gone' };
    expect(estimateFit(model, retired)).toMatchObject({
      verdict: 'cannot-run',
      reason: 'gone',
      summary: 'Cannot run on Standard_Test_4xGPU: the size is not supported.',
    });
    const bare = { ...node, supported: false, unsupportedReason: undefined };
    expect(estimateFit(model, bare)).toMatchObject({
      reason: 'Standard_Test_4xGPU is not supported by KAITO.',
    });
  });

  it('needs an NVIDIA GPU', () => {
    expect(
      estimateFit(model, { ...node, gpuModel: 'AMD MI300X' }),
    ).toMatchObject({
      verdict: 'cannot-run',
      summary: 'Cannot run on Standard_Test_4xGPU: not an NVIDIA GPU.',
    });
    expect(
      estimateFit(model, { ...node, gpuModel: 'nvidia h100' }).verdict,
    ).not.toBe('cannot-run');
  });

  it('leaves no room for weights when the reserve takes the whole budget', () => {
    // 2.3 GiB reserve + KV against a budget of 3 × 0.84 = 2.52 GiB.
    const tiny = { ...node, gpuCount: 1, gpuMemoryGiB: 3 };
    const r = estimateFit(model, tiny, { contextLength: 2048 });
    expect(r.verdict).toBe('cannot-run');
    if (r.verdict !== 'cannot-run') throw new Error('unexpected');
    expect(r.arithmetic?.minGpus).toBeUndefined();
    expect(r.arithmetic?.nodes).toBeUndefined();
    expect(r.summary).toBe(
      'Cannot run on Standard_Test_4xGPU: GPU memory is too small.',
    );
    expect(r.reason).toBe(
      'Each NVIDIA A100 GPU (3 GiB) leaves no room for weights after the 2.55 GiB reserve for a 2048-token KV cache; use a larger GPU or a shorter context.',
    );
  });

  it('uses the MLA form of the KV cache when the model has a KV LoRA rank', () => {
    const mla: ModelInfo = {
      ...model,
      architecture: {
        ...model.architecture,
        kvLoraRank: 512,
        qkRopeHeadDim: 64,
      },
    };
    expect(kvCacheBytesPerToken(mla)).toBe((512 + 64) * 32 * 2);
    const noHeadDim: ModelInfo = {
      ...model,
      architecture: {
        ...model.architecture,
        headDim: undefined,
        hiddenSize: 4096,
        numAttentionHeads: 32,
      },
    };
    expect(kvCacheBytesPerToken(noHeadDim)).toBe(2 * 8 * 128 * 32 * 2);
  });

  it('warns on A10 only when vLLM at 0.82 would need more nodes', () => {
    const a10 = {
      ...node,
      gpuModel: 'NVIDIA A10',
      gpuCount: 1,
      gpuMemoryGiB: 24,
    };
    // Fits at 0.84 with 0.1 GiB to spare, not at 0.82.
    const budget84 = (24 * 0.84 - 2.3 - 0.25) / 1.05;
    const tight = {
      ...model,
      weightSizeGiB: (budget84 - 0.1) / 1.02,
    };
    const r = estimateFit(tight, a10);
    expect(r.verdict).toBe('fits');
    expect(r.warnings).toEqual([
      "KAITO starts vLLM with gpu-memory-utilization 0.82 on A10 GPUs, below the estimator's 0.84; at that setting 2 node(s) would be needed, so this size is tight.",
    ]);
    const roomy = { ...model, weightSizeGiB: 1 };
    expect(estimateFit(roomy, a10).warnings).toEqual([]);
    // Not an A10 (an A100 has the letters A10 in it): no warning.
    expect(
      estimateFit(tight, { ...a10, gpuModel: 'NVIDIA A100' }).warnings,
    ).toEqual([]);
  });
});

function round3(n: number) {
  return Math.round(n * 1000) / 1000;
}
