import { loadConfigSchema } from '@backstage/config-loader';

/**
 * The KAITO packages' config.d.ts files, loaded the way the backend loads
 * them: each key is declared by the package that reads it (kaito-node for
 * clusters, watches, inference, external targets and Azure), so a backend
 * without kaito-backend still knows `externalTargets[].apiKey` is secret.
 */
const kaitoPackages = [
  '@kaito-backstage/plugin-kaito-node',
  '@kaito-backstage/plugin-kaito-backend',
];

// Every key the READMEs document, with a value of its declared type.
const documented = {
  kaito: {
    inference: {
      access: 'serviceProxy',
      servicePort: 'http',
      clusterDomain: 'cluster.local',
      detectTtlMs: 60000,
    },
    rag: {
      maxFiles: 10,
      maxFileBytes: 5242880,
      maxTotalBytes: 20971520,
      maxDocuments: 100,
      maxConcurrentWritesPerUser: 2,
      servicePort: 'http',
      timeoutMs: 30000,
      indexTimeoutMs: 120000,
      maxResponseBytes: 8388608,
      pollIntervalMs: 3000,
      techdocs: { maxPages: 200 },
    },
    limits: {
      maxBodyBytes: 1048576,
      maxMessages: 200,
      maxTokens: 4096,
      totalTimeoutMs: 300000,
      idleTimeoutMs: 60000,
      maxConcurrentStreamsPerUser: 4,
      maxReadinessStreamsPerUser: 20,
      readinessStreamMaxAgeMs: 3600000,
      heartbeatMs: 15000,
      maxResponseBytes: 8388608,
    },
    chat: {
      maxContentLength: 100000,
      maxTopLogprobs: 5,
      maxStopSequences: 4,
      maxTools: 128,
      maxChoices: 1,
    },
    watch: {
      timeoutSeconds: 300,
      pods: true,
      nodeClaims: true,
      events: 'warnings',
      syncTimeoutMs: 10000,
      idleStopMs: 600000,
      recomputeIntervalMs: 30000,
      backoff: { minMs: 500, maxMs: 30000 },
      containerLogs: {
        enabled: true,
        tailLines: 50,
        limitBytes: 16384,
        refreshMs: 30000,
        timeoutMs: 10000,
      },
    },
    clusters: { catalogRefreshMs: 30000 },
    cache: { entityTtlMs: 5000 },
    allowedNamespaces: ['default', 'models'],
    audit: { includePrompts: false },
    conversations: {
      enabled: true,
      maxPerUser: 200,
      maxMessages: 500,
      maxBytes: 1048576,
      retentionDays: 90,
    },
    catalog: { defaultRegion: 'eastus' },
    prices: {
      currency: 'USD',
      source: 'Contoso EA price sheet',
      asOf: '2026-10-01',
      replaceBuiltIn: false,
      entries: [
        {
          instanceType: 'Standard_NC24ads_A100_v4',
          region: 'eastus',
          perHour: 2.95,
        },
      ],
    },
    externalTargets: [
      {
        name: 'azure-openai',
        baseUrl: 'https://my-resource.openai.azure.com/openai/v1',
        apiKey: 'sk-test',
        apiKeyHeader: 'api-key',
        model: 'gpt-4o-mini',
        maxTokensField: 'max_completion_tokens',
      },
    ],
    azure: {
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      tenantId: '00000000-0000-0000-0000-000000000001',
      clientId: '00000000-0000-0000-0000-000000000002',
      clientSecret: 'secret',
      credential: 'clientSecret',
      tokenFilePath: '/var/run/secrets/token',
      armEndpoint: 'https://management.azure.com',
      authorityHost: 'https://login.microsoftonline.com',
      disableInstanceDiscovery: false,
      tls: { caFile: '/etc/ca.pem', caPem: 'PEM' },
      retry: { maxRetries: 3, retryDelayInMs: 1000, maxRetryDelayInMs: 64000 },
      pollIntervalMs: 10000,
    },
  },
};

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
};

/** Dotted paths (`[]` for array items) of every leaf a schema declares. */
function declaredLeaves(s: JsonSchema, prefix: string, out: Set<string>) {
  if (s.properties) {
    for (const [k, v] of Object.entries(s.properties)) {
      declaredLeaves(v, prefix ? `${prefix}.${k}` : k, out);
    }
  } else if (s.items?.properties) {
    declaredLeaves(s.items, `${prefix}[]`, out);
  } else {
    out.add(prefix);
  }
}

/** Dotted paths of every leaf value of a config object. */
function valueLeaves(v: unknown, prefix: string, out: Set<string>) {
  if (Array.isArray(v) && v.length && typeof v[0] === 'object') {
    for (const item of v) valueLeaves(item, `${prefix}[]`, out);
  } else if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, c] of Object.entries(v)) {
      valueLeaves(c, prefix ? `${prefix}.${k}` : k, out);
    }
  } else {
    out.add(prefix);
  }
}

// The keys @backstage/config requires of every app.
const base = {
  app: { baseUrl: 'http://localhost:3000' },
  backend: {
    baseUrl: 'http://localhost:7007',
    database: { client: 'better-sqlite3', connection: ':memory:' },
  },
};

async function loadKaitoSchema(dependencies: string[]) {
  return loadConfigSchema({ dependencies });
}

describe('KAITO config schema', () => {
  jest.setTimeout(120_000);

  it('kaito-node alone marks externalTargets[].apiKey and azure.clientSecret secret', async () => {
    const schema = await loadKaitoSchema([
      '@kaito-backstage/plugin-kaito-node',
    ]);
    const secrets = schema.process(
      [{ context: 'test', data: { ...base, ...documented } }],
      {
        visibility: ['secret'],
      },
    );
    expect(secrets[0].data.kaito).toEqual({
      externalTargets: [{ apiKey: 'sk-test' }],
      azure: { clientSecret: 'secret' },
    });
  });

  it('validates a config with every documented key, each declared once', async () => {
    const schema = await loadKaitoSchema(kaitoPackages);
    expect(() =>
      schema.process([{ context: 'test', data: { ...base, ...documented } }]),
    ).not.toThrow();

    const perPackage = new Map<string, string>();
    const declared = new Set<string>();
    for (const { path, value } of schema.serialize().schemas as Array<{
      path: string;
      value: JsonSchema;
    }>) {
      if (!/plugins\/kaito-(node|backend)\//.test(path)) continue;
      const leaves = new Set<string>();
      declaredLeaves(value, '', leaves);
      for (const leaf of leaves) {
        if (!leaf.startsWith('kaito.')) continue;
        expect({ leaf, also: perPackage.get(leaf) }).toEqual({
          leaf,
          also: undefined,
        });
        perPackage.set(leaf, path);
        declared.add(leaf);
      }
    }
    const used = new Set<string>();
    valueLeaves(documented, '', used);
    expect([...used].filter(k => !declared.has(k))).toEqual([]);
    expect([...declared].filter(k => !used.has(k))).toEqual([]);
  });

  it('refuses a documented key with a value outside its type', async () => {
    const schema = await loadKaitoSchema(kaitoPackages);
    expect(() =>
      schema.process([
        {
          context: 'test',
          data: {
            ...base,
            kaito: {
              externalTargets: [
                {
                  name: 'x',
                  baseUrl: 'https://x.example/v1',
                  apiKeyHeader: 'x-key',
                },
              ],
            },
          },
        },
      ]),
    ).toThrow(/apiKeyHeader/);
  });
});
