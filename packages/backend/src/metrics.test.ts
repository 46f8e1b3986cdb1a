import {
  createBackendModule,
  createServiceFactory,
  coreServices,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import kaitoPlugin from '@kaito-backstage/plugin-kaito-backend';
import {
  RunningSimulator,
  startSimulator,
  testing,
} from '@kaito-backstage/kaito-simulator';
import { parser as promql } from '@prometheus-io/lezer-promql';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

// The instrumentation the backend loads before it starts (see instrumentation.js).
const {
  readExporterSettings,
  startMetricsExporter,
} = require('./metricsExporter');

type Family = {
  name: string;
  type: string;
  metrics: Array<{
    value?: string;
    count?: string;
    labels?: Record<string, string>;
  }>;
};

/** Sum of a histogram's `_count` samples over all its label sets. */
function histogramCount(text: string, name: string): number {
  let total = 0;
  for (const m of text.matchAll(
    new RegExp(`^${name}_count(?:\\{[^}]*\\})? (\\S+)$`, 'gm'),
  ))
    total += Number(m[1]);
  return total;
}

/** Names of the samples on a Prometheus text page (`_bucket`, `_count`, `_total`… as written). */
function sampleNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (m) names.add(m[1]);
  }
  return names;
}

/** Metric names a PromQL query selects, from the PromQL grammar; throws on a syntax error. */
function selectedMetrics(query: string): string[] {
  // Grafana's variables, as Grafana would substitute them.
  const expr = query.replace(/\$__rate_interval/g, '5m');
  const names: string[] = [];
  const cursor = promql.parse(expr).cursor();
  do {
    if (cursor.type.isError)
      throw new Error(`PromQL syntax error at ${cursor.from} in: ${expr}`);
    if (
      cursor.name === 'Identifier' &&
      cursor.node.parent?.name === 'VectorSelector'
    )
      names.push(expr.slice(cursor.from, cursor.to));
  } while (cursor.next());
  return names;
}

const DASHBOARD = path.resolve(
  __dirname,
  '../../../monitoring/grafana-dashboard.json',
);

const WORKSPACE_REF = 'component:default/phi';

function entity(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'backstage.io/managed-by-location': 'url:https://example.com/c.yaml',
        'backstage.io/managed-by-origin-location':
          'url:https://example.com/c.yaml',
        ...annotations,
      },
    },
    spec: { type: 'service', lifecycle: 'experimental', owner: 'team-a' },
  };
}

/** Feeds the test entities to the real catalog. */
const entities = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'metrics-test-entities',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addEntityProvider({
          getProviderName: () => 'metrics-test-entities',
          connect: conn =>
            conn.applyMutation({
              type: 'full',
              entities: [
                entity('phi', {
                  'kaito.sh/workspace': 'default/phi',
                  'kaito.sh/cluster': 'sim',
                }),
              ].map(e => ({ entity: e, locationKey: 'metrics-test' })),
            }),
        });
      },
    });
  },
});

async function until<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('the Prometheus endpoint (instrumentation.js)', () => {
  jest.setTimeout(120_000);
  let exporter: { port?: number; stop(): Promise<void> };
  let sim: RunningSimulator;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let base: string;
  const auth = { authorization: mockCredentials.user.header() };

  let lastText = '';
  const scrape = async (): Promise<Map<string, Family>> => {
    const res = await fetch(`http://127.0.0.1:${exporter.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    lastText = await res.text();
    const families: Family[] = parsePrometheusTextFormat(lastText);
    return new Map(families.map(f => [f.name, f]));
  };
  const value = (
    families: Map<string, Family>,
    name: string,
    labels: Record<string, string> = {},
  ) => {
    const sample = families
      .get(name)
      ?.metrics.find(m =>
        Object.entries(labels).every(([k, v]) => m.labels?.[k] === v),
      );
    return sample ? Number(sample.value ?? sample.count) : undefined;
  };

  beforeAll(async () => {
    // Before the backend: instruments are bound to the provider that exists when they are created.
    exporter = await startMetricsExporter({ port: 0, host: '127.0.0.1' });
    sim = await startSimulator({
      log: () => {},
      seed: [testing.workspaceManifest('phi')],
    });
    backend = await startTestBackend({
      features: [
        kaitoPlugin,
        catalogPlugin,
        entities,
        mockServices.rootLogger.factory({ level: 'error' }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: testing.simulatorClusterConfig(sim, 'sim'),
            kaito: { watch: { backoff: { minMs: 20, maxMs: 200 } } },
          },
        }),
        createServiceFactory({
          service: coreServices.auditor,
          deps: {},
          factory: () => ({
            async createEvent() {
              return { async success() {}, async fail() {} };
            },
          }),
        }),
      ],
    });
    base = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await backend?.stop();
    await sim?.stop();
    await exporter?.stop();
  });

  it('reads the standard OTEL_* variables, defaulting to port 9464', () => {
    expect(readExporterSettings({})).toEqual({
      enabled: true,
      port: 9464,
      host: undefined,
    });
    expect(
      readExporterSettings({
        OTEL_EXPORTER_PROMETHEUS_PORT: '0',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      }),
    ).toEqual({ enabled: true, port: 0, host: '127.0.0.1' });
    expect(
      readExporterSettings({ OTEL_METRICS_EXPORTER: 'none' }).enabled,
    ).toBe(false);
    expect(() =>
      readExporterSettings({ OTEL_EXPORTER_PROMETHEUS_PORT: 'x' }),
    ).toThrow(/OTEL_EXPORTER_PROMETHEUS_PORT must be a port number/);
  });

  it('keeps the backend running when the port is taken', async () => {
    const second = await startMetricsExporter({
      port: exporter.port,
      host: '127.0.0.1',
    });
    try {
      expect(second.port).toBeUndefined();
    } finally {
      await second.stop();
    }
  });

  it('exports the kaito_chat_* series with the counts of the chats relayed', async () => {
    const entityUrl = `${base}/api/kaito/entity/component/default/phi`;
    await until(async () => {
      const res = await fetch(`${entityUrl}/workspace`, { headers: auth });
      return res.ok && (await res.json()).readiness?.phase === 'Ready';
    }, 'the workspace to be Ready');

    const before = await scrape();
    const completedBefore =
      value(before, 'kaito_chat_requests_total', { outcome: 'completed' }) ?? 0;

    const chat = (body: unknown) =>
      fetch(`${entityUrl}/chat/completions`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const STREAMED = 3;
    let generated = 0;
    for (let i = 0; i < STREAMED; i++) {
      const res = await chat({
        messages: [{ role: 'user', content: `question ${i}` }],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 12,
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('[DONE]');
      generated += Number(/"completion_tokens":(\d+)/.exec(text)?.[1]);
    }
    const plain = await chat({
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 8,
    });
    expect(plain.status).toBe(200);
    generated += (await plain.json()).usage.completion_tokens;
    expect(generated).toBeGreaterThan(0);
    const bad = await fetch(`${entityUrl}/chat/completions`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    await bad.text();

    // Completion is recorded when the relay finishes, which may be just after the caller read the end.
    const after = await until(async () => {
      const f = await scrape();
      return value(f, 'kaito_chat_requests_total', {
        outcome: 'completed',
      }) ===
        completedBefore + STREAMED + 1
        ? f
        : undefined;
    }, 'four completed chats in the scrape');

    expect([...after.keys()].filter(n => n.startsWith('kaito_'))).toEqual(
      expect.arrayContaining([
        'kaito_chat_requests_total',
        'kaito_chat_time_to_first_token',
        'kaito_chat_tokens_total',
        'kaito_chat_errors_total',
        'kaito_chat_active_streams',
        'kaito_chat_tokens_per_second',
      ]),
    );
    expect(after.get('kaito_chat_requests_total')?.type).toBe('COUNTER');
    expect(
      value(after, 'kaito_chat_requests_total', {
        outcome: 'completed',
        entity: WORKSPACE_REF,
      }),
    ).toBe(STREAMED + 1);
    const ttft = after.get('kaito_chat_time_to_first_token');
    expect(ttft?.type).toBe('HISTOGRAM');
    // (The parser drops _count when it precedes the buckets, as OpenTelemetry writes it.)
    expect(histogramCount(lastText, 'kaito_chat_time_to_first_token')).toBe(
      STREAMED + 1,
    );
    expect(value(after, 'kaito_chat_errors_total', { kind: 'limit' })).toBe(1);
    expect(value(after, 'kaito_chat_tokens_total', { direction: 'out' })).toBe(
      generated,
    );
    expect(
      value(after, 'kaito_chat_active_streams', { entity: WORKSPACE_REF }),
    ).toBe(0);
    expect(
      histogramCount(lastText, 'kaito_chat_tokens_per_second'),
    ).toBeGreaterThanOrEqual(1);

    // Low cardinality: entity refs and fixed words, never users or prompts.
    for (const family of after.values()) {
      if (!family.name.startsWith('kaito_')) continue;
      for (const m of family.metrics) {
        for (const [key, v] of Object.entries(m.labels ?? {})) {
          expect([
            'entity',
            'kind',
            'direction',
            'outcome',
            'protocol',
            'le',
            'otel_scope_name',
            'otel_scope_version',
            'otel_scope_schema_url',
          ]).toContain(key);
          expect(v).not.toMatch(/user:|question|mock/);
        }
      }
    }
  });

  // Runs after the chats above: every series the dashboard reads has samples by now.
  it('has a Grafana dashboard whose every query names a series the portal or vLLM publishes', async () => {
    const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8'));
    const queries: string[] = [];
    const walk = (panels: any[]) => {
      for (const p of panels ?? []) {
        for (const t of p.targets ?? []) queries.push(t.expr);
        walk(p.panels);
      }
    };
    walk(dashboard.panels);
    // Variables: label_values(<metric>, <label>) names a metric too.
    const variableMetrics = (dashboard.templating?.list ?? [])
      .filter((v: any) => v.type === 'query')
      .map((v: any) => /^label_values\(([^,]+),/.exec(v.definition)?.[1]);
    expect(queries.length).toBeGreaterThanOrEqual(10);

    // What the portal exports (scraped after the chats) and what the simulated vLLM server serves.
    await scrape();
    const inference = sim.inferenceUrl('default', 'phi');
    expect(inference).toBeDefined();
    const vllm = await (await fetch(`${inference}/metrics`)).text();
    const published = new Set([...sampleNames(lastText), ...sampleNames(vllm)]);

    const missing: string[] = [];
    for (const q of queries) {
      const names = selectedMetrics(q);
      expect(names.length).toBeGreaterThan(0);
      for (const n of names)
        if (!published.has(n)) missing.push(`${n} (in ${q})`);
    }
    for (const n of variableMetrics)
      if (!n || !published.has(n)) missing.push(`${n} (in a variable)`);
    expect(missing).toEqual([]);
    // The subjects the dashboard is for.
    const all = queries.join('\n');
    for (const s of [
      'kaito_chat_time_to_first_token_bucket',
      'kaito_chat_errors_total',
      'kaito_chat_active_streams',
      'kaito_chat_tokens_total',
      'vllm:num_requests_waiting',
      'vllm:kv_cache_usage_perc',
    ])
      expect(all).toContain(s);
  });
});
