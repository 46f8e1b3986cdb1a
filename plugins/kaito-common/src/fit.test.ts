import { MODEL_CATALOG, findModel } from './catalog/models';
import { findSku, SKU_TABLE } from './catalog/skus';
import { estimateFit, kvCacheBytesPerToken } from './fit';
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
