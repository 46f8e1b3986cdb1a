import { ArmError } from './errors';
import {
  REGIONS,
  VM_SIZES,
  VmSize,
  normalizeLocation,
  sizeLabel,
} from './data';
import { QuotaLedger } from './quota';
import { ArmRoute } from './types';

/** 400 for a region the simulated cloud does not have. */
export function locationNotAvailable(
  location: string,
  resourceType: string,
): ArmError {
  return new ArmError(
    400,
    'LocationNotAvailableForResourceType',
    `The provided location '${location}' is not available for resource type '${resourceType}'. ` +
      `List of available regions for the resource type is '${REGIONS.join(
        ',',
      )}'.`,
  );
}

/** A VM size as one Resource SKU entry (the `resourceSkus.list` item shape). */
function toResourceSku(vm: VmSize, locations: readonly string[]) {
  const restricted = locations.filter(l =>
    vm.notAvailableForSubscription?.includes(l),
  );
  // The API spells booleans "True"/"False".
  const capability = (name: string, value: string | number | boolean) => {
    if (typeof value === 'boolean') {
      return { name, value: value ? 'True' : 'False' };
    }
    return { name, value: String(value) };
  };
  return {
    resourceType: 'virtualMachines',
    name: vm.name,
    tier: 'Standard',
    size: sizeLabel(vm),
    family: vm.family,
    locations: [...locations],
    locationInfo: locations.map(location => ({
      location,
      zones: [...(vm.zones ?? [])],
      zoneDetails: [],
    })),
    capabilities: [
      capability('MaxResourceVolumeMB', vm.maxResourceVolumeMB),
      capability('OSVhdSizeMB', 1047552),
      capability('vCPUs', vm.vCPUs),
      capability('MemoryPreservingMaintenanceSupported', vm.gpus === 0),
      capability('HyperVGenerations', vm.gpus > 0 ? 'V2' : 'V1,V2'),
      capability('MemoryGB', vm.memoryGB),
      capability('MaxDataDiskCount', Math.min(64, Math.max(4, vm.vCPUs))),
      capability('CpuArchitectureType', 'x64'),
      capability('LowPriorityCapable', true),
      capability('PremiumIO', vm.premiumIO),
      capability('VMDeploymentTypes', 'IaaS'),
      capability('vCPUsAvailable', vm.vCPUs),
      ...(vm.gpus > 0 ? [capability('GPUs', vm.gpus)] : []),
      capability('vCPUsPerCore', vm.gpus > 0 ? 1 : 2),
      capability('EphemeralOSDiskSupported', true),
      capability('EncryptionAtHostSupported', true),
      capability('AcceleratedNetworkingEnabled', true),
      capability('RdmaEnabled', vm.rdma),
      capability('MaxNetworkInterfaces', vm.gpus > 0 ? 8 : 2),
    ],
    restrictions: restricted.map(location => ({
      type: 'Location',
      values: [location],
      restrictionInfo: { locations: [location] },
      reasonCode: 'NotAvailableForSubscription',
    })),
  };
}

/**
 * `$filter` as the Resource SKUs API accepts it: only `location eq '<region>'`.
 * Anything else is a 400, so a client with a typo finds out.
 */
function parseSkuFilter(filter: string | null): string | undefined {
  if (filter === null || filter.trim() === '') {
    return undefined;
  }
  const match = /^\s*location\s+eq\s+'([^']*)'\s*$/i.exec(filter);
  if (!match) {
    throw new ArmError(
      400,
      'InvalidFilter',
      `The $filter '${filter}' is not supported. Use "location eq '<region>'", e.g. "location eq 'eastus'".`,
    );
  }
  return normalizeLocation(match[1]);
}

/** Microsoft.Compute routes: regional usages (quota) and Resource SKUs. */
export function computeRoutes(ledger: QuotaLedger): ArmRoute[] {
  return [
    {
      path: 'providers/Microsoft.Compute/locations/{location}/usages',
      methods: {
        GET: req => {
          const location = normalizeLocation(req.params.location);
          if (!(REGIONS as readonly string[]).includes(location)) {
            throw locationNotAvailable(
              req.params.location,
              'Microsoft.Compute/locations/usages',
            );
          }
          return { status: 200, body: { value: ledger.usages(location) } };
        },
      },
    },
    {
      path: 'providers/Microsoft.Compute/skus',
      methods: {
        GET: req => {
          const location = parseSkuFilter(req.query.get('$filter'));
          const value = VM_SIZES.flatMap(vm => {
            if (location === undefined) {
              return [toResourceSku(vm, vm.locations)];
            }
            return vm.locations.includes(location)
              ? [toResourceSku(vm, [location])]
              : [];
          });
          return { status: 200, body: { value } };
        },
      },
    },
  ];
}
