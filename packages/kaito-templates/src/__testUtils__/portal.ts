/* Test-only: the scaffolder (and for real runs the catalog and kaito) backends on the simulator. */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import https from 'node:https';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createKaitoClusters,
  httpCatalogClusterReader,
  kaitoClustersServiceRef,
} from '@kaito-backstage/plugin-kaito-node';
import type { RunningSimulator } from '@kaito-backstage/kaito-simulator';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import templateModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import kaitoCatalog from '@kaito-backstage/plugin-catalog-backend-module-kaito';
import kaitoBackend from '@kaito-backstage/plugin-kaito-backend';
import scaffolderGithubModule from '@backstage/plugin-scaffolder-backend-module-github';
import scaffolderKaitoModule from '@kaito-backstage/plugin-scaffolder-backend-module-kaito';
import request from 'supertest';
import { TEMPLATES, directoryContents, loadTemplate } from './templates';

export const SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

/**
 * Config for the simulator: its main cluster as `sim` and `sim-plain` (the
 * same API server; `sim` is the one the catalog marks as an Azure cluster),
 * `kaito.azure` at its ARM, and the github integration the GitOps steps need.
 */
export function portalConfig(sim: RunningSimulator, extra: object = {}) {
  const cluster = (name: string) => ({
    name,
    url: sim.url,
    authProvider: 'serviceAccount',
    serviceAccountToken: sim.token,
    skipTLSVerify: true,
  });
  const entra = (sim as { entra?: { clientId: string; clientSecret: string } })
    .entra;
  return {
    integrations: { github: [{ host: 'github.com', token: 'not-used' }] },
    kubernetes: {
      clusterLocatorMethods: [
        { type: 'config', clusters: [cluster('sim'), cluster('sim-plain')] },
        { type: 'catalog', dangerouslyAllowClusterUrls: ['127.0.0.1'] },
      ],
    },
    kaito: {
      watch: { backoff: { minMs: 20, maxMs: 200 } },
      azure: {
        subscriptionId: SUBSCRIPTION,
        ...(entra
          ? {
              credential: 'clientSecret',
              tenantId: '00000000-0000-0000-0000-00000000beef',
              clientId: entra.clientId,
              clientSecret: entra.clientSecret,
              authorityHost: sim.armUrl,
              disableInstanceDiscovery: true,
            }
          : {}),
        armEndpoint: sim.armUrl,
        tls: { caPem: sim.armCaPem },
        retry: { retryDelayInMs: 20, maxRetryDelayInMs: 200 },
        pollIntervalMs: 20,
      },
    },
    catalog: { providers: { kaito: { refreshIntervalSeconds: 3600 } } },
    ...extra,
  };
}

/**
 * The shared KAITO cluster service, as the default factory builds it (one
 * per backend), except that without the simulator's Entra endpoint the ARM
 * credential is a static token (the simulated ARM accepts any bearer token).
 */
export function kaitoClustersFactory(sim: RunningSimulator) {
  const hasEntra = !!(sim as { entra?: unknown }).entra;
  return createServiceFactory({
    service: kaitoClustersServiceRef,
    deps: {
      rootConfig: coreServices.rootConfig,
      rootLogger: coreServices.rootLogger,
      discovery: coreServices.discovery,
      auth: coreServices.auth,
    },
    createRootContext({ rootConfig, rootLogger }) {
      const readers: Array<ReturnType<typeof httpCatalogClusterReader>> = [];
      const clusters = createKaitoClusters({
        config: rootConfig,
        logger: rootLogger,
        ...(hasEntra
          ? {}
          : {
              azureCredential: {
                getToken: async () => ({
                  token: 'simulated-arm-token',
                  expiresOnTimestamp: Date.now() + 3600_000,
                }),
              },
            }),
        catalog: {
          listClusterEntities: () =>
            readers[0]
              ? readers[0].listClusterEntities()
              : Promise.reject(new Error('no reader yet')),
        },
      });
      return { clusters, readers };
    },
    factory({ discovery, auth }, { clusters, readers }) {
      if (!readers.length)
        readers.push(httpCatalogClusterReader({ discovery, auth }));
      return clusters;
    },
  });
}

/** Scaffolder backend with the KAITO actions and a fixed catalog, for dry runs. */
export async function startDryRunPortal(
  sim: RunningSimulator,
  entities: Entity[],
) {
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderGithubModule,
      scaffolderKaitoModule,
      catalogServiceMock.factory({ entities }),
      kaitoClustersFactory(sim),
      mockServices.rootConfig.factory({ data: portalConfig(sim) }),
    ],
  });
  return backend;
}

export interface DryRunResult {
  status: number;
  body: any;
  /** Ids of the steps that ran (not skipped), in order. */
  ran: string[];
  /** Ids of the steps skipped by their `if`. */
  skipped: string[];
  log: string[];
}

/** POST /api/scaffolder/v2/dry-run for a template in templates/. */
export async function dryRun(
  server: Parameters<typeof request>[0],
  template: string,
  values: Record<string, unknown>,
  secrets: Record<string, string> = {},
): Promise<DryRunResult> {
  const res = await request(server)
    .post('/api/scaffolder/v2/dry-run')
    .set('Authorization', mockCredentials.user.header())
    .send({
      template: loadTemplate(template),
      values,
      secrets,
      directoryContents: directoryContents(template),
    });
  const entries: Array<{
    body: { message?: string; stepId?: string; status?: string };
  }> = res.body?.log ?? [];
  const statusOf = new Map<string, string>();
  for (const e of entries) {
    if (e.body.stepId && e.body.status)
      statusOf.set(e.body.stepId, e.body.status);
  }
  const stepIds: string[] = (res.body?.steps ?? []).map(
    (s: { id: string }) => s.id,
  );
  return {
    status: res.status,
    body: res.body,
    ran: stepIds.filter(id => statusOf.get(id) === 'completed'),
    skipped: stepIds.filter(id => statusOf.get(id) === 'skipped'),
    log: entries.map(e => e.body.message ?? ''),
  };
}

/** A catalog cluster entity for the simulator, optionally marked as an AKS cluster. */
export function clusterEntity(
  name: string,
  azure?: { location: string },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: azure
        ? {
            'kaito.sh/azure-location': azure.location,
            'kaito.sh/azure-subscription': SUBSCRIPTION,
          }
        : {},
    },
    spec: { type: 'kubernetes-cluster', owner: 'group:default/ml-platform' },
  };
}

/** GET on the simulated ARM (self-signed TLS), status and JSON body. */
export function armGet(
  sim: RunningSimulator,
  path: string,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${sim.armUrl}${path}`,
      { ca: sim.armCaPem, headers: { authorization: 'Bearer test' } },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', c => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text ? JSON.parse(text) : undefined,
          }),
        );
      },
    );
    req.on('error', reject);
  });
}

/**
 * The whole portal backend for real runs: the real catalog (templates from
 * templates/ as file locations) with the KAITO provider, the scaffolder with
 * the KAITO actions, and the KAITO backend at /api/kaito.
 */
export async function startPortal(
  sim: RunningSimulator,
  templates: string[],
  /** More features (e.g. the MCP actions backend) and top-level config keys. */
  extra: { features?: any[]; config?: Record<string, unknown> } = {},
) {
  const base = portalConfig(sim, extra.config) as Record<string, any>;
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      templateModel,
      kaitoCatalog,
      kaitoBackend,
      scaffolderPlugin,
      scaffolderGithubModule,
      scaffolderKaitoModule,
      kaitoClustersFactory(sim),
      ...(extra.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          ...base,
          catalog: {
            ...base.catalog,
            rules: [
              { allow: ['Resource', 'Template', 'System', 'Group', 'User'] },
            ],
            locations: templates.map(t => ({
              type: 'file',
              target: `${TEMPLATES}/${t}/template.yaml`,
            })),
          },
        },
      }),
    ],
  });
  const port = (backend.server.address() as { port: number }).port;
  return {
    server: backend.server,
    stop: () => backend.stop(),
    baseUrl: `http://localhost:${port}`,
  };
}

/** GET on the portal as a user; JSON body. */
export async function portalGet(baseUrl: string, path: string) {
  const res = await fetch(`${baseUrl}${path}`, {
    headers: { authorization: mockCredentials.user.header() },
  });
  const text = await res.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

/**
 * Waits for an entity by following the catalog's own answers (it appears
 * once processed); gives up after `timeoutMs` with what it last saw.
 */
export async function waitForEntity(
  baseUrl: string,
  ref: { kind: string; name: string },
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await portalGet(
      baseUrl,
      `/api/catalog/entities/by-name/${ref.kind}/default/${ref.name}`,
    );
    if (r.status === 200) return r.body;
    if (Date.now() > deadline) {
      throw new Error(
        `${ref.kind}:default/${ref.name} not in the catalog: ${r.status}`,
      );
    }
    await new Promise(r2 => setTimeout(r2, 200));
  }
}

/** Runs a template as the mock user and follows its event stream to the end. */
export async function runTask(
  baseUrl: string,
  template: string,
  values: Record<string, unknown>,
) {
  const created = await fetch(`${baseUrl}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: {
      authorization: mockCredentials.user.header(),
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      templateRef: `template:default/${template}`,
      values,
    }),
  });
  const { id } = (await created.json()) as { id: string };
  if (!id) throw new Error(`task not created: ${created.status}`);
  // The event stream ends with a `completion` event (completed or failed).
  const res = await fetch(
    `${baseUrl}/api/scaffolder/v2/tasks/${id}/eventstream`,
    {
      headers: { authorization: mockCredentials.user.header() },
    },
  );
  const log: string[] = [];
  let completion: any;
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = res.body!.getReader();
  let done = false;
  while (!done) {
    const chunk = await reader.read();
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
      const event = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      const data = event
        .split('\n')
        .filter(l => l.startsWith('data:'))
        .map(l => l.slice(5).trim())
        .join('');
      if (!data) continue;
      const parsed = JSON.parse(data);
      if (parsed.body?.message) log.push(parsed.body.message);
      if (parsed.type === 'completion') {
        completion = parsed.body;
        done = true;
      }
    }
  }
  await reader.cancel().catch(() => {});
  const task = await portalGet(baseUrl, `/api/scaffolder/v2/tasks/${id}`);
  return {
    id,
    status: task.body.status as string,
    output: completion?.output,
    log,
  };
}
