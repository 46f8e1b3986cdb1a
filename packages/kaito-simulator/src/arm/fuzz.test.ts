import { request } from 'node:https';
import { connect } from 'node:tls';
import { SUBSCRIPTION_ID, startTestArm } from './__testUtils__/armTestKit';
import { RunningArmSimulator } from './types';

/** Deterministic PRNG (mulberry32) so a failing case can be replayed. */
function prng(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    word: (length: number) =>
      Array.from(
        { length },
        () => 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(next() * 36)],
      ).join(''),
  };
}

interface FuzzCase {
  label: string;
  method: string;
  path: string;
  headers?: Record<string, string | undefined>;
  body?: string;
}

const API = 'api-version=2026-06-01';
const CLUSTERS = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters`;

/** A loosely typed body, so generators can break it in any way. */
type Cluster = Record<string, any> & { properties: Record<string, any> };

const validCluster = (): Cluster => ({
  location: 'eastus',
  properties: {
    dnsPrefix: 'fuzz',
    agentPoolProfiles: [
      { name: 'system', mode: 'System', count: 1, vmSize: 'Standard_D4s_v5' },
    ],
    oidcIssuerProfile: { enabled: true },
    aiToolchainOperatorProfile: { enabled: true },
  },
});

type Rand = ReturnType<typeof prng>;

const put = (label: string, body: string, name = 'fuzzed'): FuzzCase => ({
  label,
  method: 'PUT',
  path: `${CLUSTERS}/${name}?${API}`,
  body,
});
const mutated = (label: string, mutate: (c: Cluster) => void): FuzzCase => {
  const cluster = validCluster();
  mutate(cluster);
  return put(label, JSON.stringify(cluster));
};

/** Each generator breaks one thing about an otherwise valid request. */
const generators: Array<(r: Rand, round: number) => FuzzCase> = [
  () => ({
    label: 'no auth',
    method: 'GET',
    path: `${CLUSTERS}/x?${API}`,
    headers: { authorization: undefined },
  }),
  r => ({
    label: 'bad auth scheme',
    method: 'GET',
    path: `${CLUSTERS}/x?${API}`,
    headers: { authorization: `Basic ${r.word(12)}` },
  }),
  () => ({ label: 'no api-version', method: 'GET', path: `${CLUSTERS}/x` }),
  r => ({
    label: 'bad api-version',
    method: 'GET',
    path: `${CLUSTERS}/x?api-version=${r.word(1 + r.int(20))}`,
  }),
  r => ({
    label: 'other subscription',
    method: 'GET',
    path: `/subscriptions/${r.word(8)}/providers/Microsoft.Compute/skus?${API}`,
  }),
  r => ({
    label: 'not under subscriptions',
    method: 'GET',
    path: `/${r.word(1 + r.int(10))}/${r.word(4)}?${API}`,
  }),
  r => ({
    label: 'unknown namespace',
    method: 'GET',
    path: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.${r.word(
      6,
    )}/things?${API}`,
  }),
  r => ({
    label: 'unknown type',
    method: 'GET',
    path: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Compute/${r.word(
      7,
    )}?${API}`,
  }),
  r => ({
    label: 'unsupported method',
    // DELETE is served: managed clusters can be deleted.
    method: r.pick(['PATCH', 'OPTIONS']),
    path: `${CLUSTERS}/x?${API}`,
  }),
  r => {
    const text = JSON.stringify(validCluster());
    return put('truncated JSON', text.slice(0, 1 + r.int(text.length - 1)));
  },
  r =>
    put(
      'non-object JSON',
      r.pick([
        '[]',
        '42',
        '"cluster"',
        'null',
        'true',
        '[{"location":"eastus"}]',
      ]),
    ),
  r => ({
    ...put('wrong content type', JSON.stringify(validCluster())),
    headers: {
      'content-type': r.pick([
        'text/plain',
        'application/xml',
        'multipart/form-data',
      ]),
    },
  }),
  r => put('empty body', r.pick(['', '   ', '\n'])),
  (r, round) =>
    mutated('bad location', c => {
      const choice = round % 3;
      if (choice === 0) delete c.location;
      else c.location = choice === 1 ? r.int(1000) : `mars${r.word(3)}`;
    }),
  r =>
    mutated('bad agentPoolProfiles', c => {
      c.properties.agentPoolProfiles = r.pick<unknown>([
        [],
        {},
        'system',
        7,
        [null],
        [[]],
      ]) as any;
    }),
  (r, round) =>
    mutated('bad pool', c => {
      const pool = c.properties.agentPoolProfiles[0] as Record<string, unknown>;
      const field = ['name', 'count', 'vmSize', 'mode'][round % 4];
      pool[field] = {
        name: r.pick([
          '',
          'UPPER',
          '1abc',
          'waytoolongpoolname',
          `a-${r.word(2)}`,
          5,
        ]),
        count: r.pick([-1, 1.5, 1001, 1e9, '2', true]),
        vmSize: r.pick([
          'Standard_Nope_v9',
          'Standard_NC24ads_A100_v4x',
          'Standard_ND96isr_H200_v5' /* not offered in eastus */,
        ]),
        mode: r.pick(['system', 'Gateway', 3]),
      }[field];
    }),
  r =>
    mutated('bad profile', c => {
      c.properties[
        r.pick(['oidcIssuerProfile', 'aiToolchainOperatorProfile'])
      ] = r.pick<unknown>([{ enabled: 'yes' }, { enabled: 1 }, 'on', [true]]);
    }),
  r =>
    mutated('KAITO without OIDC', c => {
      c.properties.oidcIssuerProfile = r.pick([{ enabled: false }, {}]) as {
        enabled: boolean;
      };
    }),
  r =>
    mutated('bad tags / properties', c => {
      if (r.int(2) === 0) c.tags = { owner: r.int(100) };
      else c.properties = r.pick<unknown>([[1, 2], 'props', 3]) as any;
    }),
  r =>
    mutated('bad version or dnsPrefix', c => {
      if (r.int(2) === 0)
        c.properties.kubernetesVersion = r.pick([
          'latest',
          'v1.30',
          '1',
          130,
        ]) as string;
      else
        c.properties.dnsPrefix = r.pick([
          '-bad',
          'has space',
          'x'.repeat(80),
          '_under',
        ]);
    }),
  r =>
    put(
      'bad cluster name',
      JSON.stringify(validCluster()),
      encodeURIComponent(
        r.pick(['-lead', 'trail-', 'x'.repeat(64), 'dot.ted', 'sp ace', 'ü']),
      ),
    ),
  r => ({
    label: 'bad percent-encoding',
    method: 'GET',
    path: `${CLUSTERS}/${r.pick(['%E0%A4%A', '%', '%zz', 'a%C3'])}?${API}`,
  }),
  r => ({
    label: 'missing cluster',
    method: 'GET',
    path: `${CLUSTERS}/${r.word(1 + r.int(30))}?${API}`,
  }),
  r => ({
    label: 'credentials of missing cluster',
    method: 'POST',
    path: `${CLUSTERS}/${r.word(5)}/listClusterUserCredential?${API}`,
  }),
  r => ({
    label: 'unknown operation',
    method: 'GET',
    path: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.ContainerService/locations/eastus/operations/${r.word(
      36,
    )}?${API}`,
  }),
  r => ({
    label: 'bad SKU filter',
    method: 'GET',
    path: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Compute/skus?${API}&%24filter=${encodeURIComponent(
      r.pick(["name eq 'x'", 'location', "location ne 'eastus'", r.word(9)]),
    )}`,
  }),
  r => ({
    label: 'unknown region usages',
    method: 'GET',
    path: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Compute/locations/${r.word(
      8,
    )}/usages?${API}`,
  }),
  r => {
    const depth = 20000 + r.int(50000);
    return put(
      'deeply nested properties',
      `{"location":"eastus","properties":${'['.repeat(depth)}${']'.repeat(
        depth,
      )}}`,
    );
  },
];

function send(
  arm: RunningArmSimulator,
  fuzz: FuzzCase,
): Promise<{ status: number; contentType?: string; text: string }> {
  const { hostname, port } = new URL(arm.url);
  const headers: Record<string, string> = {
    authorization: 'Bearer fuzz-token',
    ...(fuzz.body !== undefined ? { 'content-type': 'application/json' } : {}),
  };
  for (const [key, value] of Object.entries(fuzz.headers ?? {})) {
    if (value === undefined) delete headers[key];
    else headers[key] = value;
  }
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        path: fuzz.path,
        method: fuzz.method,
        headers,
        ca: arm.caPem,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(fuzz.body);
  });
}

function armErrorProblem(response: {
  status: number;
  contentType?: string;
  text: string;
}): string | undefined {
  if (response.status < 400 || response.status > 499)
    return `status ${response.status}`;
  if (!response.contentType?.startsWith('application/json'))
    return `content-type ${response.contentType}`;
  let body: any;
  try {
    body = JSON.parse(response.text);
  } catch {
    return `body is not JSON: ${response.text.slice(0, 80)}`;
  }
  if (typeof body?.error?.code !== 'string' || !body.error.code)
    return `no error.code in ${response.text.slice(0, 120)}`;
  if (typeof body.error.message !== 'string' || !body.error.message)
    return 'no error.message';
  if (/\n\s+at /.test(body.error.message)) return 'stack trace in message';
  return undefined;
}

describe('ARM simulator: fuzzed requests', () => {
  let arm: RunningArmSimulator;
  const warnings: string[] = [];

  beforeAll(async () => {
    ({ arm } = await startTestArm({
      throttling: false,
      logger: { warn: m => void warnings.push(m) },
    }));
  });
  afterAll(async () => {
    await arm.stop();
  });

  it('answers every malformed request with an ARM-shaped 4xx and keeps serving', async () => {
    const random = prng(0x4b414954);
    const cases: FuzzCase[] = [];
    for (let round = 0; round < 4; round++) {
      for (const generate of generators) {
        cases.push(generate(random, round));
      }
    }
    expect(cases.length).toBeGreaterThanOrEqual(50);

    const problems: string[] = [];
    const codes = new Set<string>();
    for (const fuzz of cases) {
      const response = await send(arm, fuzz);
      const problem = armErrorProblem(response);
      if (problem) {
        problems.push(
          `${fuzz.label} ${fuzz.method} ${fuzz.path.slice(
            0,
            120,
          )} -> ${problem}`,
        );
      } else {
        codes.add(JSON.parse(response.text).error.code);
      }
    }
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]); // no request reached the unexpected-error path
    expect([...codes].sort()).toEqual(
      expect.arrayContaining([
        'AuthenticationFailed',
        'BadRequest',
        'InvalidApiVersionParameter',
        'InvalidFilter',
        'InvalidParameter',
        'InvalidRequestContent',
        'InvalidRequestUri',
        'InvalidResourceName',
        'InvalidResourceNamespace',
        'InvalidResourceType',
        'LocationNotAvailableForResourceType',
        'LocationRequired',
        'MethodNotAllowed',
        'MissingApiVersionParameter',
        'MissingSubscription',
        'NotFound',
        'ResourceNotFound',
        'SubscriptionNotFound',
        'UnsupportedMediaType',
      ]),
    );

    // Still healthy: a valid create goes through.
    const created = await send(
      arm,
      put('valid', JSON.stringify(validCluster()), 'survivor'),
    );
    expect(created.status).toBe(201);
  });

  it('refuses an oversized body with 413', async () => {
    const response = await send(
      arm,
      put(
        'huge',
        `{"location":"eastus","pad":"${'x'.repeat(4 * 1024 * 1024)}"}`,
      ),
    );
    expect(response.status).toBe(413);
    expect(armErrorProblem(response)).toBeUndefined();
  });

  it('answers bytes that are not HTTP with an ARM-shaped 400', async () => {
    const { hostname, port } = new URL(arm.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(
        { host: hostname, port: Number(port), ca: arm.caPem },
        () => {
          socket.write('NOT AN HTTP REQUEST\r\n\r\n');
        },
      );
      let data = '';
      socket.on('data', chunk => (data += chunk.toString('utf8')));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
    expect(body.error.code).toBe('BadRequest');
  });
});
