import { AddressInfo } from 'node:net';
import { computeRoutes } from './compute';
import { ManagedClusters } from './managedClusters';
import { OperationStore } from './operations';
import { QuotaLedger } from './quota';
import { createArmServer } from './server';
import { Throttle } from './throttle';
import { mintSelfSignedCertificate } from './tls';
import { EntraSimulator } from './entra';
import { ArmFaults } from './faults';
import { ResourceGroups } from './resourceGroups';
import { ArmSimulatorOptions, RunningArmSimulator } from './types';

export type {
  ArmSimulatorOptions,
  ClusterRequest,
  RunningArmSimulator,
  SimulatedClusterAccess,
} from './types';
export { VM_SIZES, DEFAULT_QUOTAS, REGIONS } from './data';
export type { VmSize } from './data';
export { ARM_DEFAULT_THROTTLING } from './throttle';
export { AKS_AUDIENCE, EntraSimulator } from './entra';
export { ArmFaults } from './faults';
export type { InjectedArmFault, InjectedOperationFailure } from './faults';

export const DEFAULT_SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Starts the Azure Resource Manager subset (managed clusters, compute usages
 * and Resource SKUs) over HTTPS on a loopback address, with a certificate
 * minted for this run. Clients trust it with `tlsOptions: { ca: caPem }`.
 */
export async function startArmSimulator(
  options: ArmSimulatorOptions,
): Promise<RunningArmSimulator> {
  if (typeof options.host !== 'string' || options.host.trim() === '') {
    throw new Error(
      "ARM simulator option host is required: a loopback address such as '127.0.0.1'.",
    );
  }
  const subscriptionId = options.subscriptionId ?? DEFAULT_SUBSCRIPTION_ID;
  if (!/^[0-9a-fA-F-]{1,64}$/.test(subscriptionId)) {
    throw new Error(
      `ARM simulator option subscriptionId '${subscriptionId}' is invalid: use a GUID such as ${DEFAULT_SUBSCRIPTION_ID}.`,
    );
  }
  if (typeof options.createCluster !== 'function') {
    throw new Error(
      'ARM simulator option createCluster is required: it provisions the simulated Kubernetes side of a managed cluster.',
    );
  }
  const operationDelayMs = options.operationDelayMs ?? 50;
  if (!(Number.isFinite(operationDelayMs) && operationDelayMs >= 0)) {
    throw new Error(
      `ARM simulator option operationDelayMs must be a number >= 0; got ${String(
        options.operationDelayMs,
      )}.`,
    );
  }

  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const delay = (ms: number) =>
    new Promise<void>(resolve => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const ledger = new QuotaLedger(options.quotas);
  const throttle = new Throttle(subscriptionId, options.throttling ?? {});
  const certificate = mintSelfSignedCertificate(options.host);
  const entra = new EntraSimulator(options.entra);
  const faults = new ArmFaults();
  const resourceGroups = new ResourceGroups(subscriptionId);
  let url = '';
  const clusters = new ManagedClusters({
    subscriptionId,
    baseUrl: () => url,
    ledger,
    operations: new OperationStore(),
    createCluster: options.createCluster,
    updateCluster: options.updateCluster,
    deleteCluster: options.deleteCluster,
    faults,
    operationDelayMs,
    delay,
    isStopped: () => stopped,
  });
  const server = createArmServer({
    subscriptionId,
    routes: [
      ...clusters.routes(),
      ...computeRoutes(ledger),
      ...resourceGroups.routes(),
    ],
    throttle,
    certificate,
    entra,
    faults,
    baseUrl: () => url,
    logger: options.logger ?? { warn: message => console.warn(message) },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = options.host.includes(':')
    ? `[${options.host}]`
    : options.host;
  url = `https://${hostPart}:${port}`;

  return {
    url,
    caPem: certificate.certPem,
    entra: {
      tenantId: entra.tenantId,
      clientId: entra.clientId,
      clientSecret: entra.clientSecret,
      verify: (token, audience) => entra.verify(token, audience),
    },
    faults,
    async stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      timers.forEach(clearTimeout);
      timers.clear();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
