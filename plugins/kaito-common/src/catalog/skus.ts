import { SKU_ROWS } from './skuData';

/** The KAITO release whose SKU table `supported` refers to. */
export const SKU_TABLE_KAITO_VERSION = '0.12.0';

/** One GPU instance type (node size). */
export interface SkuInfo {
  instanceType: string;
  cloud: 'azure' | 'aws' | 'arc';
  gpuCount: number;
  gpuModel: string;
  /** GPU memory of the whole node (all GPUs), GiB. */
  gpuMemoryGiB: number;
  /** GPU memory of one GPU, GiB. */
  gpuMemoryPerGpuGiB: number;
  vCPUs: number;
  /** Azure quota family (usage `name.value`), when known. */
  quotaFamily?: string;
  /** Local NVMe disk KAITO can use for weights. */
  nvme: boolean;
  /** CUDA compute capability (NVIDIA only). */
  cudaComputeCapability?: string;
  /** Accepted by the current KAITO (SKU_TABLE_KAITO_VERSION). */
  supported: boolean;
  /** First KAITO release that no longer accepts the size. */
  removedInKaito?: string;
  /** Why the size is not supported, in plain words. */
  unsupportedReason?: string;
  /** Extra facts a UI may show. */
  note?: string;
}

function unsupportedReason(
  model: string,
  cc: string | null,
  removedIn: string,
): string {
  const retiredOnAzure = /V100|M60/.test(model)
    ? ' Azure has also retired these sizes.'
    : '';
  const why = cc
    ? `its CUDA compute capability ${cc} is below the 8.0 (Ampere) KAITO requires`
    : 'KAITO dropped it from its supported list';
  return `${model} sizes were removed from KAITO's SKU table in v${removedIn}: ${why}.${retiredOnAzure} Pick an A10, A100, H100 or H200 size instead.`;
}

/** Every known GPU size: the current KAITO table, then retired Azure sizes. */
export const SKU_TABLE: SkuInfo[] = SKU_ROWS.map(row => {
  const [
    cloud,
    instanceType,
    gpuCount,
    mem,
    gpuModel,
    nvme,
    cc,
    vCPUs,
    family,
    removed,
  ] = row;
  const info: SkuInfo = {
    instanceType,
    cloud,
    gpuCount,
    gpuModel,
    gpuMemoryGiB: mem,
    gpuMemoryPerGpuGiB: mem / gpuCount,
    vCPUs,
    nvme,
    supported: removed === null,
  };
  if (family) info.quotaFamily = family;
  if (cc) info.cudaComputeCapability = cc;
  if (removed) {
    info.removedInKaito = removed;
    info.unsupportedReason = unsupportedReason(gpuModel, cc, removed);
  }
  if (instanceType === 'Standard_ND96asr_A100_v4') {
    info.note =
      "KAITO's name for the Azure size Standard_ND96asr_v4 (8 x A100 40GB).";
  }
  return info;
});

const byName = new Map(SKU_TABLE.map(s => [s.instanceType.toLowerCase(), s]));

/** Looks an instance type up (case-insensitive). Undefined when unknown. */
export function findSku(instanceType: string): SkuInfo | undefined {
  if (typeof instanceType !== 'string') return undefined;
  return byName.get(instanceType.trim().toLowerCase());
}

/** Sizes the current KAITO accepts on one cloud. */
export function supportedSkus(cloud: SkuInfo['cloud'] = 'azure'): SkuInfo[] {
  return SKU_TABLE.filter(s => s.cloud === cloud && s.supported);
}
