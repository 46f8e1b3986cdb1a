/**
 * The simulated subscription's catalogue: VM sizes (served as Resource SKUs
 * and used for AKS node-pool validation), regions and default quotas.
 *
 * vCPUs, GPUs, memory and quota families follow Microsoft's size pages and
 * the live Resource SKU API (family == usage `name.value`, with the API's own
 * inconsistent casing and spaces). Region availability and the one
 * subscription restriction are illustrative, chosen so clients meet every
 * shape the real API returns; they are not a statement about Azure capacity.
 */
export interface VmSize {
  name: string;
  /** Quota family: Resource SKU `family` and usage `name.value`. */
  family: string;
  vCPUs: number;
  memoryGB: number;
  gpus: number;
  /** Regions where the size is offered. */
  locations: readonly string[];
  /** Regions where it is offered but not to this subscription. */
  notAvailableForSubscription?: readonly string[];
  zones?: readonly string[];
  /** Resource-disk size; GPU sizes with local NVMe report 0 here. */
  maxResourceVolumeMB: number;
  premiumIO: boolean;
  rdma: boolean;
}

export const REGIONS = [
  'australiaeast',
  'centralus',
  'eastus',
  'eastus2',
  'japaneast',
  'northeurope',
  'southcentralus',
  'swedencentral',
  'uksouth',
  'westeurope',
  'westus2',
  'westus3',
] as const;

const ALL: readonly string[] = REGIONS;
// prettier-ignore
const A100_REGIONS = ['eastus', 'eastus2', 'southcentralus', 'westus2', 'westus3', 'westeurope', 'swedencentral', 'northeurope', 'japaneast', 'australiaeast'];
// prettier-ignore
const H100_REGIONS = ['eastus', 'eastus2', 'southcentralus', 'westus3', 'swedencentral', 'uksouth', 'northeurope'];
// prettier-ignore
const V620_REGIONS = ['eastus2', 'centralus', 'westus3', 'uksouth', 'westeurope', 'swedencentral', 'japaneast'];

function size(
  name: string,
  family: string,
  vCPUs: number,
  memoryGB: number,
  gpus: number,
  locations: readonly string[],
  extra: Partial<VmSize> = {},
): VmSize {
  return {
    name,
    family,
    vCPUs,
    memoryGB,
    gpus,
    locations,
    zones: ['1', '2', '3'],
    maxResourceVolumeMB: gpus > 0 ? 0 : vCPUs * 16384,
    premiumIO: true,
    rdma: false,
    ...extra,
  };
}

const RDMA = { rdma: true };

// One row per size: name, quota family, vCPUs, memory GB, GPUs, regions.
// prettier-ignore
export const VM_SIZES: readonly VmSize[] = [
  // General purpose sizes for AKS system pools.
  size('Standard_DS2_v2', 'standardDSv2Family', 2, 7, 0, ALL),
  size('Standard_D2s_v5', 'standardDSv5Family', 2, 8, 0, ALL),
  size('Standard_D4s_v5', 'standardDSv5Family', 4, 16, 0, ALL),
  size('Standard_D8s_v5', 'standardDSv5Family', 8, 32, 0, ALL),
  size('Standard_D4ds_v5', 'standardDDSv5Family', 4, 16, 0, ALL),
  size('Standard_D8ds_v5', 'standardDDSv5Family', 8, 32, 0, ALL),
  // NVIDIA A10 (NVads A10 v5).
  size('Standard_NV36ads_A10_v5', 'StandardNVADSA10v5Family', 36, 440, 1, ALL),
  size('Standard_NV72ads_A10_v5', 'StandardNVADSA10v5Family', 72, 880, 2, ALL),
  // NVIDIA A100 80GB PCIe (NC A100 v4).
  size('Standard_NC24ads_A100_v4', 'StandardNCADSA100v4Family', 24, 220, 1, A100_REGIONS),
  size('Standard_NC48ads_A100_v4', 'StandardNCADSA100v4Family', 48, 440, 2, A100_REGIONS),
  size('Standard_NC96ads_A100_v4', 'StandardNCADSA100v4Family', 96, 880, 4, A100_REGIONS),
  // NVIDIA A100 SXM (ND A100 v4). KAITO lists the first as
  // "Standard_ND96asr_A100_v4", which is not an Azure size name.
  size('Standard_ND96asr_v4', 'Standard NDASv4_A100 Family', 96, 900, 8, A100_REGIONS, RDMA),
  size('Standard_ND96amsr_A100_v4', 'standardNDAMSv4_A100Family', 96, 1900, 8, A100_REGIONS, RDMA),
  // NVIDIA H100 NVL (NC H100 v5) and confidential H100 (NCC H100 v5).
  size('Standard_NC40ads_H100_v5', 'StandardNCadsH100v5Family', 40, 320, 1, H100_REGIONS),
  size('Standard_NC80adis_H100_v5', 'StandardNCadsH100v5Family', 80, 640, 2, H100_REGIONS),
  size('Standard_NCC40ads_H100_v5', 'StandardNCCads2023Family', 40, 320, 1, ['eastus2', 'westeurope']),
  // NVIDIA H100 / H200 SXM (ND H100 v5, ND H200 v5). The H200 row shows a
  // subscription restriction and a single-zone offer.
  size('Standard_ND96isr_H100_v5', 'standardNDSH100v5Family', 96, 1900, 8, H100_REGIONS, RDMA),
  size('Standard_ND96isr_H200_v5', 'standardNDISRH200V5Family', 96, 1850, 8, ['eastus2', 'swedencentral', 'westus3'],
    { ...RDMA, zones: ['2'], notAvailableForSubscription: ['eastus2'] }),
  // AMD Radeon PRO V620 (NGads V620).
  size('Standard_NG32ads_V620_v1', 'StandardNGADSV620v1Family', 32, 64, 1, V620_REGIONS),
  size('Standard_NG32adms_V620_v1', 'StandardNGADSV620v1Family', 32, 176, 1, V620_REGIONS),
];

/** Usage entries that are not per-family vCPU quotas. */
export const REGIONAL_QUOTAS = {
  cores: 'Total Regional vCPUs',
  lowPriorityCores: 'Total Regional Low-priority vCPUs',
  virtualMachines: 'Virtual Machines',
  virtualMachineScaleSets: 'Virtual Machine Scale Sets',
  availabilitySets: 'Availability Sets',
} as const;

/**
 * Default limits (per region): a subscription granted modest GPU quota for
 * the single-GPU families. The 8-GPU ND families and the confidential and
 * AMD families start at 0, as they do on a new subscription.
 */
export const DEFAULT_QUOTAS: Readonly<Record<string, number>> = {
  cores: 200,
  lowPriorityCores: 100,
  virtualMachines: 25000,
  virtualMachineScaleSets: 2500,
  availabilitySets: 2500,
  standardDSv2Family: 100,
  standardDSv5Family: 100,
  standardDDSv5Family: 100,
  StandardNVADSA10v5Family: 72,
  StandardNCADSA100v4Family: 48,
  StandardNCadsH100v5Family: 40,
};

/** VM size AKS uses when a node pool names none. */
export const DEFAULT_NODE_VM_SIZE = 'Standard_DS2_v2';

/** Families compare equal across casing and spacing, as the real data needs. */
export function normalizeFamily(family: string): string {
  return family.toLowerCase().replace(/\s+/g, '');
}

/** "East US 2" -> "eastus2", the form ARM stores. */
export function normalizeLocation(location: string): string {
  return location.toLowerCase().replace(/\s+/g, '');
}

export function findVmSize(name: string): VmSize | undefined {
  const wanted = name.toLowerCase();
  return VM_SIZES.find(s => s.name.toLowerCase() === wanted);
}

/** The size part of a name: Standard_NC24ads_A100_v4 -> NC24ads_A100_v4. */
export function sizeLabel(vm: VmSize): string {
  return vm.name.replace(/^Standard_/, '');
}

/** Human name for a family's usage entry, e.g. "Standard NCADSA100v4 Family vCPUs". */
export function familyDisplayName(family: string): string {
  const spaced = family.includes(' ')
    ? family
    : family.replace(/^standard/i, 'Standard ').replace(/Family$/, ' Family');
  return `${spaced.replace(/\s+/g, ' ').trim()} vCPUs`;
}
