import { ArmError, invalidParameter, invalidRequestContent } from './errors';
import {
  DEFAULT_NODE_VM_SIZE,
  REGIONS,
  VM_SIZES,
  VmSize,
  findVmSize,
  normalizeLocation,
} from './data';
import { locationNotAvailable } from './compute';

type Json = Record<string, unknown>;

export interface AgentPoolSpec {
  name: string;
  count: number;
  vm: VmSize;
  mode: 'System' | 'User';
  /** Everything the client sent for the pool, echoed back on reads. */
  raw: Json;
}

/** A validated managed-cluster PUT body (ARM wire shape: settings under `properties`). */
export interface ClusterSpec {
  location: string;
  tags?: Record<string, string>;
  identity?: Json;
  sku?: Json;
  /** Client-supplied properties, kept verbatim for reads. */
  properties: Json;
  /** Undefined when the body leaves the pools unchanged (update only). */
  agentPools?: AgentPoolSpec[];
  kubernetesVersion?: string;
  dnsPrefix?: string;
  /** Undefined when the body does not mention the profile. */
  oidcIssuerEnabled?: boolean;
  kaitoEnabled?: boolean;
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function optionalObject(
  body: Json,
  key: string,
  where: string,
): Json | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isObject(value)) {
    throw invalidRequestContent(
      `'${where}${key}' must be a JSON object; got ${describe(value)}.`,
    );
  }
  return value;
}

function optionalString(
  body: Json,
  key: string,
  where: string,
): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw invalidRequestContent(
      `'${where}${key}' must be a string; got ${describe(value)}.`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value).slice(0, 40)}`;
}

/** `{ enabled?: boolean }` profiles such as oidcIssuerProfile. */
function profileEnabled(properties: Json, key: string): boolean | undefined {
  const profile = optionalObject(properties, key, 'properties.');
  if (!profile || profile.enabled === undefined || profile.enabled === null) {
    return undefined;
  }
  if (typeof profile.enabled !== 'boolean') {
    throw invalidRequestContent(
      `'properties.${key}.enabled' must be true or false; got ${describe(
        profile.enabled,
      )}.`,
    );
  }
  return profile.enabled;
}

const POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;

function vmSizeNotAllowed(
  poolName: string,
  vmSize: string,
  location: string,
): ArmError {
  const offered = VM_SIZES.filter(
    vm =>
      vm.locations.includes(location) &&
      !vm.notAvailableForSubscription?.includes(location),
  ).map(vm => vm.name);
  return new ArmError(
    400,
    'BadRequest',
    `The VM size of AgentPoolProfile:${poolName} (${vmSize}) is not allowed in your subscription in location '${location}'. ` +
      `The available VM sizes are '${offered.join(
        ',',
      )}'. For more details, please visit https://aka.ms/aks/quotas-skus-regions`,
  );
}

function parseAgentPools(value: unknown, location: string): AgentPoolSpec[] {
  if (!Array.isArray(value)) {
    throw invalidRequestContent(
      `'properties.agentPoolProfiles' must be an array of node pools; got ${describe(
        value,
      )}.`,
    );
  }
  if (value.length === 0) {
    throw invalidParameter(
      'agentPoolProfiles',
      'A managed cluster needs at least one agent pool in properties.agentPoolProfiles, e.g. ' +
        '{"name":"system","mode":"System","count":1,"vmSize":"Standard_D4s_v5"}.',
    );
  }
  const seen = new Set<string>();
  const pools = value.map((pool, index): AgentPoolSpec => {
    const where = `properties.agentPoolProfiles[${index}].`;
    if (!isObject(pool)) {
      throw invalidRequestContent(
        `'properties.agentPoolProfiles[${index}]' must be a JSON object; got ${describe(
          pool,
        )}.`,
      );
    }
    const name = optionalString(pool, 'name', where);
    if (name === undefined) {
      throw invalidRequestContent(`'${where}name' is required.`);
    }
    if (!POOL_NAME.test(name)) {
      throw invalidParameter(
        `agentPoolProfiles[${index}].name`,
        `The agent pool name '${name}' is invalid: use 1-12 lowercase letters and digits, starting with a letter.`,
      );
    }
    if (seen.has(name)) {
      throw invalidParameter(
        `agentPoolProfiles[${index}].name`,
        `The agent pool name '${name}' is used twice.`,
      );
    }
    seen.add(name);
    const count = pool.count ?? 1;
    if (typeof count !== 'number') {
      throw invalidRequestContent(
        `'${where}count' must be an integer; got ${describe(count)}.`,
      );
    }
    if (!Number.isInteger(count) || count < 0 || count > 1000) {
      throw invalidParameter(
        `agentPoolProfiles[${index}].count`,
        `The value of parameter agentPoolProfile.count is invalid: ${count}. Use an integer from 0 to 1000.`,
      );
    }
    const mode = optionalString(pool, 'mode', where);
    if (mode !== undefined && mode !== 'System' && mode !== 'User') {
      throw invalidParameter(
        `agentPoolProfiles[${index}].mode`,
        `The agent pool mode '${mode}' is invalid: use 'System' or 'User'.`,
      );
    }
    const vmSize =
      optionalString(pool, 'vmSize', where) ?? DEFAULT_NODE_VM_SIZE;
    const vm = findVmSize(vmSize);
    if (
      !vm ||
      !vm.locations.includes(location) ||
      vm.notAvailableForSubscription?.includes(location)
    ) {
      throw vmSizeNotAllowed(name, vmSize, location);
    }
    return { name, count, vm, mode: mode ?? 'User', raw: pool };
  });
  // A pool without an explicit mode becomes the system pool when none is named.
  if (!pools.some(p => p.mode === 'System')) {
    const candidate = pools.find(
      p => p.raw.mode === undefined || p.raw.mode === null,
    );
    if (!candidate) {
      throw invalidParameter(
        'agentPoolProfiles',
        "Must define at least one system pool (mode 'System').",
      );
    }
    candidate.mode = 'System';
  }
  const system = pools.find(p => p.mode === 'System' && p.count < 1);
  if (system) {
    throw invalidParameter(
      'agentPoolProfiles',
      `The system agent pool '${system.name}' needs a count of at least 1.`,
    );
  }
  return pools;
}

/**
 * Validates a managed-cluster PUT body. `existing` is set for updates, where
 * node pools may be omitted (kept) and the location may not change.
 */
export function parseClusterRequest(
  body: unknown,
  existing?: { location: string; name: string; resourceGroup: string },
): ClusterSpec {
  if (!isObject(body)) {
    throw invalidRequestContent(
      `the body must be a JSON object describing a managed cluster, e.g. {"location":"eastus","properties":{...}}; got ${describe(
        body,
      )}.`,
    );
  }
  const rawLocation = optionalString(body, 'location', '');
  if (rawLocation === undefined || rawLocation.trim() === '') {
    throw new ArmError(
      400,
      'LocationRequired',
      'The location property is required for this definition.',
    );
  }
  const location = normalizeLocation(rawLocation);
  if (!(REGIONS as readonly string[]).includes(location)) {
    throw locationNotAvailable(
      rawLocation,
      'Microsoft.ContainerService/managedClusters',
    );
  }
  if (existing && existing.location !== location) {
    throw new ArmError(
      400,
      'InvalidResourceLocation',
      `The resource '${existing.name}' already exists in location '${existing.location}' in resource group '${existing.resourceGroup}'. ` +
        `A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
    );
  }

  const tags = optionalObject(body, 'tags', '');
  for (const [key, value] of Object.entries(tags ?? {})) {
    if (typeof value !== 'string') {
      throw invalidRequestContent(
        `'tags.${key}' must be a string; got ${describe(value)}.`,
      );
    }
  }
  const identity = optionalObject(body, 'identity', '');
  const sku = optionalObject(body, 'sku', '');
  const properties = optionalObject(body, 'properties', '') ?? {};

  const kubernetesVersion = optionalString(
    properties,
    'kubernetesVersion',
    'properties.',
  );
  if (
    kubernetesVersion !== undefined &&
    !/^\d+\.\d+(\.\d+)?$/.test(kubernetesVersion)
  ) {
    throw invalidParameter(
      'kubernetesVersion',
      `Kubernetes version '${kubernetesVersion}' is not valid: use MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. '1.33'.`,
    );
  }
  const dnsPrefix = optionalString(properties, 'dnsPrefix', 'properties.');
  if (
    dnsPrefix !== undefined &&
    !/^[a-zA-Z0-9][a-zA-Z0-9-]{0,52}[a-zA-Z0-9]?$/.test(dnsPrefix)
  ) {
    throw invalidParameter(
      'dnsPrefix',
      `The DNS prefix '${dnsPrefix}' is invalid: use 1-54 letters, digits and hyphens, starting and ending with a letter or digit.`,
    );
  }

  const pools = properties.agentPoolProfiles;
  if ((pools === undefined || pools === null) && !existing) {
    throw invalidRequestContent(
      "'properties.agentPoolProfiles' is required when creating a managed cluster: give at least one pool, e.g. " +
        '[{"name":"system","mode":"System","count":1,"vmSize":"Standard_D4s_v5"}].',
    );
  }

  return {
    location,
    tags: tags as Record<string, string> | undefined,
    identity,
    sku,
    properties,
    agentPools:
      pools === undefined || pools === null
        ? undefined
        : parseAgentPools(pools, location),
    kubernetesVersion,
    dnsPrefix,
    oidcIssuerEnabled: profileEnabled(properties, 'oidcIssuerProfile'),
    kaitoEnabled: profileEnabled(properties, 'aiToolchainOperatorProfile'),
  };
}
