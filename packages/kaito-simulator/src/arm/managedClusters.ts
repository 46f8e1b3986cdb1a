import { randomUUID } from 'node:crypto';
import { ArmError, invalidParameter, resourceNotFound } from './errors';
import {
  AgentPoolSpec,
  ClusterSpec,
  parseClusterRequest,
} from './clusterRequest';
import { normalizeLocation } from './data';
import { OperationStore } from './operations';
import { ArmFaults } from './faults';
import { QuotaLedger, quotaExceededError } from './quota';
import {
  ArmRequest,
  ArmResponse,
  ArmRoute,
  ClusterRequest,
  SimulatedClusterAccess,
} from './types';

const RESOURCE_TYPE = 'Microsoft.ContainerService/managedClusters';
const DEFAULT_KUBERNETES_VERSION = '1.33';
const SIMULATED_TENANT_ID = '00000000-0000-0000-0000-00000000beef';

/** Patch releases reported as `currentKubernetesVersion` for a requested minor. */
function currentVersion(requested: string): string {
  return requested.split('.').length === 3 ? requested : `${requested}.3`;
}

/** AKS's default DNS prefix: cluster, resource group and subscription fragments. */
function defaultDnsPrefix(
  name: string,
  resourceGroup: string,
  subscriptionId: string,
): string {
  const part = (value: string, length: number) =>
    value.replace(/[^a-zA-Z0-9-]/g, '-').slice(0, length);
  return `${part(name, 20)}-${part(resourceGroup, 12)}-${subscriptionId.slice(
    0,
    6,
  )}`
    .replace(/-+/g, '-')
    .replace(/^-/, '');
}

interface ClusterRecord {
  resourceGroup: string;
  name: string;
  location: string;
  spec: ClusterSpec;
  agentPools: AgentPoolSpec[];
  kubernetesVersion: string;
  dnsPrefix: string;
  oidcIssuerEnabled: boolean;
  kaitoEnabled: boolean;
  provisioningState:
    | 'Creating'
    | 'Updating'
    | 'Deleting'
    | 'Succeeded'
    | 'Failed';
  /** Operation in progress, if any. */
  operationId?: string;
  access?: SimulatedClusterAccess;
  /** Stable per-cluster identifier for the issuer URL and FQDN. */
  uid: string;
  principalId: string;
}

export interface ManagedClustersDeps {
  subscriptionId: string;
  /** Base URL clients reach the simulator at (for Azure-AsyncOperation). */
  baseUrl: () => string;
  ledger: QuotaLedger;
  operations: OperationStore;
  createCluster: (req: ClusterRequest) => Promise<SimulatedClusterAccess>;
  updateCluster?: (req: ClusterRequest) => Promise<void>;
  /** Called once a delete operation removes the cluster. */
  deleteCluster?: (req: ClusterRequest) => Promise<void>;
  faults?: ArmFaults;
  operationDelayMs: number;
  /** Resolves after `ms`, or never once the simulator stops. */
  delay: (ms: number) => Promise<void>;
  isStopped: () => boolean;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Managed clusters (Microsoft.ContainerService): PUT as a long-running
 * operation, GET, list, and the user/admin credential actions. The
 * embedding simulator supplies the Kubernetes side through `createCluster`.
 */
export class ManagedClusters {
  private readonly clusters = new Map<string, ClusterRecord>();

  constructor(private readonly deps: ManagedClustersDeps) {}

  private static key(resourceGroup: string, name: string): string {
    return `${resourceGroup.toLowerCase()}/${name.toLowerCase()}`;
  }

  private find(req: ArmRequest): ClusterRecord {
    const { resourceGroup, resourceName } = req.params;
    const cluster = this.clusters.get(
      ManagedClusters.key(resourceGroup, resourceName),
    );
    if (!cluster) {
      throw resourceNotFound(RESOURCE_TYPE, resourceName, resourceGroup);
    }
    return cluster;
  }

  private id(cluster: ClusterRecord): string {
    return `/subscriptions/${this.deps.subscriptionId}/resourcegroups/${cluster.resourceGroup}/providers/${RESOURCE_TYPE}/${cluster.name}`;
  }

  /** The resource as GET returns it (ARM wire shape). */
  private view(cluster: ClusterRecord): Record<string, unknown> {
    const { spec, location } = cluster;
    const hash = cluster.uid.replace(/-/g, '').slice(0, 8);
    const running = { code: 'Running' };
    const agentPoolProfiles = cluster.agentPools.map(pool => ({
      osType: 'Linux',
      osSKU: 'Ubuntu',
      type: 'VirtualMachineScaleSets',
      maxPods: 250,
      enableAutoScaling: false,
      ...pool.raw,
      name: pool.name,
      count: pool.count,
      vmSize: pool.vm.name,
      mode: pool.mode,
      orchestratorVersion: cluster.kubernetesVersion,
      currentOrchestratorVersion: currentVersion(cluster.kubernetesVersion),
      provisioningState: cluster.provisioningState,
      powerState: running,
    }));
    return {
      id: this.id(cluster),
      name: cluster.name,
      type: 'Microsoft.ContainerService/ManagedClusters',
      location,
      ...(spec.tags ? { tags: spec.tags } : {}),
      sku: { name: 'Base', tier: 'Free', ...spec.sku },
      identity: {
        type: 'SystemAssigned',
        ...spec.identity,
        principalId: cluster.principalId,
        tenantId: SIMULATED_TENANT_ID,
      },
      properties: {
        enableRBAC: true,
        nodeResourceGroup: `MC_${cluster.resourceGroup}_${cluster.name}_${location}`,
        networkProfile: {
          networkPlugin: 'azure',
          networkPluginMode: 'overlay',
          loadBalancerSku: 'standard',
        },
        ...spec.properties,
        provisioningState: cluster.provisioningState,
        powerState: running,
        maxAgentPools: 100,
        kubernetesVersion: cluster.kubernetesVersion,
        currentKubernetesVersion: currentVersion(cluster.kubernetesVersion),
        dnsPrefix: cluster.dnsPrefix,
        fqdn: `${cluster.dnsPrefix}-${hash}.hcp.${location}.azmk8s.io`,
        azurePortalFQDN: `${cluster.dnsPrefix}-${hash}.portal.hcp.${location}.azmk8s.io`,
        agentPoolProfiles,
        oidcIssuerProfile: {
          enabled: cluster.oidcIssuerEnabled,
          ...(cluster.oidcIssuerEnabled
            ? {
                issuerURL: `https://${location}.oic.prod-aks.azure.com/${SIMULATED_TENANT_ID}/${cluster.uid}/`,
              }
            : {}),
        },
        aiToolchainOperatorProfile: { enabled: cluster.kaitoEnabled },
      },
    };
  }

  routes(): ArmRoute[] {
    const base =
      'resourceGroups/{resourceGroup}/providers/Microsoft.ContainerService/managedClusters';
    return [
      {
        path: `${base}/{resourceName}`,
        methods: {
          GET: req => ({ status: 200, body: this.view(this.find(req)) }),
          PUT: req => this.put(req),
          DELETE: req => this.remove(req),
        },
      },
      {
        path: `${base}/{resourceName}/listClusterUserCredential`,
        methods: { POST: req => this.credentials(req, 'clusterUser') },
      },
      {
        path: `${base}/{resourceName}/listClusterAdminCredential`,
        methods: { POST: req => this.credentials(req, 'clusterAdmin') },
      },
      {
        path: base,
        methods: { GET: req => this.list(req.params.resourceGroup) },
      },
      {
        path: 'providers/Microsoft.ContainerService/managedClusters',
        methods: { GET: () => this.list() },
      },
      {
        path: 'providers/Microsoft.ContainerService/locations/{location}/operations/{operationId}',
        methods: {
          GET: req => ({
            status: 200,
            body: this.deps.operations.status(
              req.params.operationId,
              normalizeLocation(req.params.location),
            ),
          }),
        },
      },
    ];
  }

  private list(resourceGroup?: string): ArmResponse {
    const value = [...this.clusters.values()]
      .filter(
        c =>
          !resourceGroup ||
          c.resourceGroup.toLowerCase() === resourceGroup.toLowerCase(),
      )
      .map(c => this.view(c));
    return { status: 200, body: { value } };
  }

  private credentials(
    req: ArmRequest,
    name: 'clusterUser' | 'clusterAdmin',
  ): ArmResponse {
    const cluster = this.find(req);
    if (!cluster.access) {
      throw new ArmError(
        409,
        'OperationNotAllowed',
        `Credentials for managed cluster '${cluster.name}' are not available while its provisioning state is '${cluster.provisioningState}'. ` +
          'Wait for the create operation to succeed, then ask again.',
      );
    }
    return {
      status: 200,
      body: {
        kubeconfigs: [
          {
            name,
            value: Buffer.from(cluster.access.kubeconfig, 'utf8').toString(
              'base64',
            ),
          },
        ],
      },
    };
  }

  /** DELETE: 202 + Azure-AsyncOperation; 204 when there is no such cluster. */
  private remove(req: ArmRequest): ArmResponse {
    const key = ManagedClusters.key(
      req.params.resourceGroup,
      req.params.resourceName,
    );
    const cluster = this.clusters.get(key);
    if (!cluster) return { status: 204 };
    if (cluster.operationId) {
      throw new ArmError(
        409,
        'OperationNotAllowed',
        `Operation is not allowed because there's an in progress operation (${cluster.operationId}) for managed cluster '${cluster.name}'. Please wait for it to finish before deleting.`,
      );
    }
    const operation = this.deps.operations.start(cluster.location);
    cluster.provisioningState = 'Deleting';
    cluster.operationId = operation.id;
    void (async () => {
      await this.deps.delay(this.deps.operationDelayMs);
      if (this.deps.isStopped()) return;
      this.clusters.delete(key);
      this.deps.ledger.release(key);
      try {
        await this.deps.deleteCluster?.({
          resourceGroup: cluster.resourceGroup,
          name: cluster.name,
          location: cluster.location,
          kaitoEnabled: cluster.kaitoEnabled,
        });
      } catch {
        // The ARM resource is gone either way.
      }
      this.deps.operations.finish(operation.id);
    })();
    const pollUrl = `${this.deps.baseUrl()}${OperationStore.path(
      this.deps.subscriptionId,
      operation,
    )}?api-version=${encodeURIComponent(req.apiVersion)}`;
    return {
      status: 202,
      headers: { 'azure-asyncoperation': pollUrl, location: pollUrl },
    };
  }

  private put(req: ArmRequest): ArmResponse {
    const { resourceGroup, resourceName } = req.params;
    if (
      !/^[a-zA-Z0-9]$|^[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]$/.test(
        resourceName,
      )
    ) {
      throw new ArmError(
        400,
        'InvalidResourceName',
        `Resource name '${resourceName}' is invalid. A managed cluster name is 1-63 letters, digits, '-' and '_', starting and ending with a letter or digit.`,
      );
    }
    if (
      !/^[-\w._()]{1,90}$/.test(resourceGroup) ||
      resourceGroup.endsWith('.')
    ) {
      throw new ArmError(
        400,
        'InvalidResourceGroupName',
        `Resource group name '${resourceGroup}' is invalid: use 1-90 letters, digits, '-', '_', '.', '(' and ')', not ending in '.'.`,
      );
    }
    const key = ManagedClusters.key(resourceGroup, resourceName);
    const existing = this.clusters.get(key);
    if (existing?.operationId) {
      throw new ArmError(
        409,
        'OperationNotAllowed',
        `Operation is not allowed because there's an in progress ${
          existing.provisioningState === 'Creating' ? 'create' : 'update'
        } ` +
          `managed cluster operation (${existing.operationId}) for managed cluster '${existing.name}'. Please wait for it to finish before starting a new operation.`,
      );
    }
    const spec = parseClusterRequest(req.json(), existing);
    const agentPools = spec.agentPools ?? existing?.agentPools ?? [];
    const oidcIssuerEnabled =
      spec.oidcIssuerEnabled ?? existing?.oidcIssuerEnabled ?? false;
    const kaitoEnabled = spec.kaitoEnabled ?? existing?.kaitoEnabled ?? false;
    if (existing?.oidcIssuerEnabled && spec.oidcIssuerEnabled === false) {
      throw invalidParameter(
        'oidcIssuerProfile.enabled',
        'The OIDC issuer cannot be disabled once it is enabled; keep properties.oidcIssuerProfile.enabled true.',
      );
    }
    if (kaitoEnabled && !oidcIssuerEnabled) {
      throw invalidParameter(
        'oidcIssuerProfile.enabled',
        'The AI toolchain operator add-on requires the OIDC issuer: set properties.oidcIssuerProfile.enabled to true ' +
          'together with properties.aiToolchainOperatorProfile.enabled.',
      );
    }
    const shortfall = this.deps.ledger.check(
      key,
      spec.location,
      agentPools.map(p => ({ vm: p.vm, count: p.count })),
    );
    if (shortfall) {
      throw quotaExceededError(shortfall, {
        name: resourceName,
        resourceGroup,
        subscriptionId: this.deps.subscriptionId,
      });
    }

    const operation = this.deps.operations.start(spec.location);
    const cluster: ClusterRecord = {
      resourceGroup: existing?.resourceGroup ?? resourceGroup,
      name: existing?.name ?? resourceName,
      location: spec.location,
      spec,
      agentPools,
      kubernetesVersion:
        spec.kubernetesVersion ??
        existing?.kubernetesVersion ??
        DEFAULT_KUBERNETES_VERSION,
      dnsPrefix:
        spec.dnsPrefix ??
        existing?.dnsPrefix ??
        defaultDnsPrefix(resourceName, resourceGroup, this.deps.subscriptionId),
      oidcIssuerEnabled,
      kaitoEnabled,
      provisioningState: existing ? 'Updating' : 'Creating',
      operationId: operation.id,
      access: existing?.access,
      uid: existing?.uid ?? randomUUID(),
      principalId: existing?.principalId ?? randomUUID(),
    };
    this.clusters.set(key, cluster);
    this.deps.ledger.hold(
      key,
      spec.location,
      agentPools.map(p => ({ vm: p.vm, count: p.count })),
    );
    void this.provision(cluster, !existing, operation.id);

    const pollUrl = `${this.deps.baseUrl()}${OperationStore.path(
      this.deps.subscriptionId,
      operation,
    )}?api-version=${encodeURIComponent(req.apiVersion)}`;
    return {
      status: existing ? 200 : 201,
      body: this.view(cluster),
      headers: { 'azure-asyncoperation': pollUrl },
    };
  }

  /** Runs the create/update in the background and settles its operation. */
  private async provision(
    cluster: ClusterRecord,
    isCreate: boolean,
    operationId: string,
  ): Promise<void> {
    const request: ClusterRequest = {
      resourceGroup: cluster.resourceGroup,
      name: cluster.name,
      location: cluster.location,
      kaitoEnabled: cluster.kaitoEnabled,
    };
    let failure: { code: string; message: string } | undefined =
      this.deps.faults?.takeOperationFailure(cluster.name);
    if (failure) {
      await this.deps.delay(this.deps.operationDelayMs);
    } else
      try {
        const [, access] = await Promise.all([
          this.deps.delay(this.deps.operationDelayMs),
          isCreate || !cluster.access
            ? this.deps.createCluster(request)
            : this.deps.updateCluster?.(request).then(() => cluster.access),
        ]);
        cluster.access = access ?? cluster.access;
      } catch (error) {
        failure = {
          code: 'ClusterProvisioningFailed',
          message: `The simulated cluster '${
            cluster.name
          }' could not be provisioned: ${errorMessage(error)}`,
        };
      }
    if (this.deps.isStopped()) {
      return;
    }
    cluster.provisioningState = failure ? 'Failed' : 'Succeeded';
    cluster.operationId = undefined;
    this.deps.operations.finish(operationId, failure);
  }
}
