import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  createKaitoClusters,
  KaitoClusters,
} from '@kaito-backstage/plugin-kaito-node';
import {
  testing,
  type RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import net from 'node:net';

/** Config: the simulator's main cluster as `sim`, plus `kaito.azure` at its ARM when started with arm (the simulator's test kit). */
export function simConfig(
  sim: RunningSimulator,
  extra: Record<string, any> = {},
) {
  return testing.simulatorBackstageConfig(sim, extra);
}

export function clustersFor(config: object): KaitoClusters {
  return createKaitoClusters({
    config: new ConfigReader(config as any),
    logger: mockServices.logger.mock(),
  });
}

/** A mock action context whose logger lines are collected. */
export function actionContext<T extends Record<string, any>>(
  input: T,
  opts: {
    isDryRun?: boolean;
    signal?: AbortSignal;
    /** Checkpoint results by key, shared across runs to imitate a retried task. */
    checkpoints?: Map<string, unknown>;
  } = {},
) {
  const lines: string[] = [];
  const logger = mockServices.logger.mock();
  for (const level of ['info', 'warn', 'error', 'debug'] as const) {
    (logger[level] as jest.Mock).mockImplementation((m: string) => {
      lines.push(`${level}: ${m}`);
    });
  }
  const outputs: Record<string, unknown> = {};
  const ctx = createMockActionContext({ input, logger });
  // createMockActionContext drops these two; set them as the runner would.
  Object.assign(ctx, { isDryRun: opts.isDryRun, signal: opts.signal });
  if (opts.checkpoints) {
    const store = opts.checkpoints;
    (ctx as any).checkpoint = async (o: { key: string; fn: () => unknown }) => {
      if (!store.has(o.key)) store.set(o.key, await o.fn());
      return store.get(o.key);
    };
  }
  (ctx.output as jest.Mock).mockImplementation((k: string, v: unknown) => {
    outputs[k] = v;
  });
  return { ctx, lines, outputs };
}

/**
 * A TCP listener that counts connections and never answers: pointing the
 * clusters and ARM at it proves an input was rejected before any call.
 */
export async function connectionCounter() {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer(s => {
    count += 1;
    sockets.add(s);
    s.on('error', () => {});
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    get count() {
      return count;
    },
    async stop() {
      sockets.forEach(s => s.destroy());
      await new Promise(r => server.close(r));
    },
  };
}

/** Raw Kubernetes GET on a simulated cluster. */
export function kube(sim: { url: string; token: string }, path: string) {
  return testing.kubeRequest(sim, 'GET', path);
}

/** What {@link useCountingCluster} gives a describe block; filled in by its `beforeAll`. */
export interface CountingCluster {
  counter: Awaited<ReturnType<typeof connectionCounter>>;
  /** The registry with one cluster, `sim`, pointing at the counter. */
  clusters: KaitoClusters;
}

/**
 * Registers `beforeAll`/`afterAll` for tests of what fails before any cluster
 * call: a cluster registry whose only cluster, `sim`, is a listener that
 * counts the connections made to it.
 */
export function useCountingCluster(): CountingCluster {
  const s = {} as CountingCluster;
  beforeAll(async () => {
    s.counter = await connectionCounter();
    s.clusters = clustersFor({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'sim',
                url: `http://127.0.0.1:${s.counter.port}`,
                authProvider: 'serviceAccount',
                serviceAccountToken: 'x',
              },
            ],
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await s.clusters.stop();
    await s.counter.stop();
  });
  return s;
}
