import { ArmError } from './errors';
import {
  DEFAULT_QUOTAS,
  REGIONAL_QUOTAS,
  VM_SIZES,
  VmSize,
  familyDisplayName,
  normalizeFamily,
  normalizeLocation,
} from './data';

/** One node pool's claim on regional quota. */
export interface PoolDemand {
  vm: VmSize;
  count: number;
}

/** A usage entry exactly as `GET .../locations/{location}/usages` returns it. */
export interface Usage {
  unit: 'Count';
  currentValue: number;
  limit: number;
  name: { value: string; localizedValue: string };
}

/** The first limit a proposed change would break. */
export interface QuotaShortfall {
  /** Family name, or "cores" for Total Regional vCPUs. */
  quota: string;
  location: string;
  limit: number;
  currentUsage: number;
  additionalRequired: number;
}

type Totals = Map<string, number>; // normalized quota name -> amount

function totalsOf(pools: readonly PoolDemand[]): Totals {
  const totals: Totals = new Map();
  const add = (key: string, amount: number) =>
    totals.set(key, (totals.get(key) ?? 0) + amount);
  for (const { vm, count } of pools) {
    add(normalizeFamily(vm.family), vm.vCPUs * count);
    add('cores', vm.vCPUs * count);
    add('virtualmachines', count);
    add('virtualmachinescalesets', 1);
  }
  return totals;
}

/**
 * Per-region quota limits and what the simulated clusters currently hold.
 * Limits are the same in every region; usage is counted per region.
 */
export class QuotaLedger {
  private readonly limits = new Map<string, number>();
  /** Per-region overrides, keyed `<region>:<normalized family>`. */
  private readonly regionLimits = new Map<string, number>();
  /** Display name per normalized key, in the order usages are listed. */
  private readonly names = new Map<string, string>();
  private readonly holdings = new Map<
    string,
    { location: string; totals: Totals }
  >();

  constructor(overrides: Record<string, number> = {}) {
    for (const key of Object.keys(REGIONAL_QUOTAS)) {
      this.names.set(normalizeFamily(key), key);
    }
    for (const vm of VM_SIZES) {
      if (!this.names.has(normalizeFamily(vm.family))) {
        this.names.set(normalizeFamily(vm.family), vm.family);
      }
    }
    for (const [key, limit] of Object.entries({
      ...DEFAULT_QUOTAS,
      ...overrides,
    })) {
      if (!Number.isInteger(limit) || limit < 0) {
        throw new Error(
          `ARM simulator option quotas['${key}'] must be a non-negative integer vCPU limit; got ${String(
            limit,
          )}.`,
        );
      }
      const colon = key.indexOf(':');
      if (colon > 0) {
        // "<region>:<family>" sets the limit in one region only.
        const region = normalizeLocation(key.slice(0, colon));
        const family = normalizeFamily(key.slice(colon + 1));
        this.regionLimits.set(`${region}:${family}`, limit);
        if (!this.names.has(family))
          this.names.set(family, key.slice(colon + 1));
        continue;
      }
      const normalized = normalizeFamily(key);
      this.limits.set(normalized, limit);
      if (!this.names.has(normalized)) {
        this.names.set(normalized, key);
      }
    }
  }

  private limitOf(normalized: string, location: string): number {
    return (
      this.regionLimits.get(`${location}:${normalized}`) ??
      this.limits.get(normalized) ??
      0
    );
  }

  private usedIn(location: string, excludeOwner?: string): Totals {
    const used: Totals = new Map();
    for (const [owner, holding] of this.holdings) {
      if (holding.location !== location || owner === excludeOwner) {
        continue;
      }
      for (const [key, amount] of holding.totals) {
        used.set(key, (used.get(key) ?? 0) + amount);
      }
    }
    return used;
  }

  /**
   * The first quota `owner` would exceed by replacing what it holds with
   * `pools` in `location`, or undefined when everything fits.
   */
  check(
    owner: string,
    location: string,
    pools: readonly PoolDemand[],
  ): QuotaShortfall | undefined {
    const wanted = totalsOf(pools);
    const others = this.usedIn(location, owner);
    const mine = this.holdings.get(owner);
    const held =
      mine?.location === location ? mine.totals : new Map<string, number>();
    // Family quotas are checked before the regional total, as Azure does.
    const order = [...wanted.keys()].sort(
      (a, b) => Number(a === 'cores') - Number(b === 'cores'),
    );
    for (const key of order) {
      if (key === 'virtualmachines' || key === 'virtualmachinescalesets') {
        continue;
      }
      const currentUsage = (others.get(key) ?? 0) + (held.get(key) ?? 0);
      const additionalRequired = (wanted.get(key) ?? 0) - (held.get(key) ?? 0);
      const limit = this.limitOf(key, location);
      if (additionalRequired > 0 && currentUsage + additionalRequired > limit) {
        return {
          quota: this.names.get(key) ?? key,
          location,
          limit,
          currentUsage,
          additionalRequired,
        };
      }
    }
    return undefined;
  }

  hold(owner: string, location: string, pools: readonly PoolDemand[]): void {
    this.holdings.set(owner, { location, totals: totalsOf(pools) });
  }

  release(owner: string): void {
    this.holdings.delete(owner);
  }

  usages(location: string): Usage[] {
    const used = this.usedIn(location);
    return [...this.names].map(([key, value]) => ({
      unit: 'Count',
      currentValue: used.get(key) ?? 0,
      limit: this.limitOf(key, location),
      name: {
        value,
        localizedValue:
          (REGIONAL_QUOTAS as Record<string, string>)[value] ??
          familyDisplayName(value),
      },
    }));
  }
}

/**
 * AKS's preflight failure for a pool that does not fit, worded like the real
 * message (code QuotaExceeded, 400) so clients parsing it meet the real text.
 */
export function quotaExceededError(
  shortfall: QuotaShortfall,
  cluster: { name: string; resourceGroup: string; subscriptionId: string },
): ArmError {
  const regional = shortfall.quota === 'cores';
  const label = regional ? 'Total Regional Cores' : `${shortfall.quota} Cores`;
  const newLimit = shortfall.currentUsage + shortfall.additionalRequired;
  const request = encodeURIComponent(
    JSON.stringify({
      subscriptionId: cluster.subscriptionId,
      command: 'openQuotaApprovalBlade',
      quotas: [
        {
          location: shortfall.location,
          providerId: 'Microsoft.Compute',
          resourceName: shortfall.quota,
          quotaRequest: {
            properties: {
              limit: newLimit,
              unit: 'Count',
              name: { value: shortfall.quota },
            },
          },
        },
      ],
    }),
  );
  const nodeResourceGroup = `MC_${cluster.resourceGroup}_${cluster.name}_${shortfall.location}`;
  return new ArmError(
    400,
    'QuotaExceeded',
    `Preflight validation check for resource(s) for container service ${cluster.name} in resource group ${nodeResourceGroup} failed. ` +
      `Message: Operation could not be completed as it results in exceeding approved ${label} quota. ` +
      `Additional details - Deployment Model: Resource Manager, Location: ${shortfall.location}, ` +
      `Current Limit: ${shortfall.limit}, Current Usage: ${shortfall.currentUsage}, ` +
      `Additional Required: ${shortfall.additionalRequired}, (Minimum) New Limit Required: ${newLimit}. ` +
      `Submit a request for Quota increase at https://aka.ms/ProdportalCRP/#blade/Microsoft_Azure_Capacity/UsageAndQuota.ReactView/Parameters/${request} ` +
      `by specifying parameters listed in the 'Details' section for deployment to succeed. ` +
      `Please read more about quota limits at https://docs.microsoft.com/en-us/azure/azure-supportability/${
        regional ? 'regional-quota-requests' : 'per-vm-quota-requests'
      }.`,
  );
}
