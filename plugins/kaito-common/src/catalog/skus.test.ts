import { SKU_TABLE, findSku, supportedSkus } from './skus';
import { describeWithShared, readCsv } from '../__testUtils__/sharedReference';

describe('SKU table', () => {
  it('has 14 supported Azure sizes, all Ampere or newer or AMD', () => {
    const azure = supportedSkus('azure');
    expect(azure).toHaveLength(14);
    const nvidiaCc = azure
      .filter(s => s.gpuModel.startsWith('NVIDIA'))
      .map(s => Number(s.cudaComputeCapability));
    expect(Math.min(...nvidiaCc)).toBeGreaterThanOrEqual(8);
    expect(azure.every(s => s.vCPUs > 0)).toBe(true);
  });

  it('marks retired V100 and T4 sizes unsupported with the reason', () => {
    const v100 = findSku('Standard_NC6s_v3')!;
    expect(v100.supported).toBe(false);
    expect(v100.unsupportedReason).toMatch(
      /V100.*v0\.9\.0.*compute capability 7\.0/,
    );
    const t4 = findSku('standard_nc4as_t4_v3')!;
    expect(t4.supported).toBe(false);
    expect(t4.unsupportedReason).toMatch(/T4.*7\.5/);
  });

  it('gives GPU count, model, memory, vCPUs and quota family', () => {
    expect(findSku('Standard_NC96ads_A100_v4')).toMatchObject({
      gpuCount: 4,
      gpuModel: 'NVIDIA A100',
      gpuMemoryGiB: 320,
      gpuMemoryPerGpuGiB: 80,
      vCPUs: 96,
      quotaFamily: 'StandardNCADSA100v4Family',
      supported: true,
    });
    expect(findSku('g5.12xlarge')).toMatchObject({
      cloud: 'aws',
      gpuCount: 4,
      vCPUs: 48,
    });
    expect(findSku('nope')).toBeUndefined();
  });
});

describeWithShared('SKU table against the reference CSVs', () => {
  it('matches every row of gpu_sku_table_v0.12.0.csv', () => {
    const rows = readCsv('derived/gpu_sku_table_v0.12.0.csv');
    expect(SKU_TABLE.filter(s => s.supported)).toHaveLength(rows.length);
    for (const r of rows) {
      expect(findSku(r.sku)).toMatchObject({
        cloud: r.cloud,
        gpuCount: Number(r.gpu_count),
        gpuMemoryGiB: parseFloat(r.gpu_mem_total),
        gpuModel: r.gpu_model,
        nvme: r.nvme_disk_enabled === 'true',
        supported: true,
      });
    }
  });

  it('lists every older Azure size as data, unsupported when KAITO removed it', () => {
    for (const r of readCsv('derived/azure_gpu_sku_table_v0.6.2.csv')) {
      const s = findSku(r.sku)!;
      expect(s.gpuCount).toBe(Number(r.gpu_count));
      expect(s.supported).toBe(!/V100|T4|M60|MI25/.test(r.gpu_model));
    }
  });
});
