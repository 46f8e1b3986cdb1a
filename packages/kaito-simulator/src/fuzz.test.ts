import { startSimulator, RunningSimulator } from './simulator';
import { kube, waitFor, workspace, WS_PATH } from './__testUtils__/http';

/**
 * Fuzzing: hundreds of malformed, unauthorized, oversized and nonsensical
 * requests. Every answer must be a well-formed Status with the status code
 * a real API server uses; nothing may crash or hang the simulator.
 */

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  '/api/v1/namespaces',
  '/api/v1/namespaces/default',
  '/api/v1/namespaces/default/pods',
  '/api/v1/namespaces/default/pods/x',
  '/api/v1/namespaces/default/configmaps/fuzz',
  '/api/v1/namespaces/default/secrets',
  '/api/v1/namespaces/default/services/fuzzed:http/proxy/v1/chat/completions',
  '/api/v1/namespaces/default/services/nope:http/proxy/v1/models',
  '/api/v1/namespaces/default/events',
  '/apis/kaito.sh/v1beta1/namespaces/default/workspaces',
  '/apis/kaito.sh/v1beta1/namespaces/default/workspaces/fuzzed',
  '/apis/kaito.sh/v1beta1/namespaces/default/workspaces/fuzzed/status',
  '/apis/kaito.sh/v1alpha1/workspaces',
  '/apis/kaito.sh/v1/namespaces/default/workspaces',
  '/apis/karpenter.sh/v1/nodeclaims',
  '/apis/apps/v1/namespaces/default/statefulsets/fuzzed',
  '/apis/example.com/v1/widgets',
  '/api/v2/pods',
  '/apis',
  '/api',
  '/%zz',
  '/api/v1/namespaces/default/pods/x/exec',
  '/api/v1/watch/namespaces/default/pods',
  '/',
];

const QUERIES = [
  '',
  '?labelSelector=app%3Dx',
  '?labelSelector=%3D%3D%3D',
  '?labelSelector=a%20in%20(b',
  '?fieldSelector=metadata.name%3Dx',
  '?fieldSelector=spec.bogus%3D1',
  '?limit=-3',
  '?limit=abc',
  '?continue=!!!',
  '?dryRun=Maybe',
  `?fieldManager=${'m'.repeat(200)}`,
  '?fieldManager=fuzz&force=perhaps',
  '?resourceVersion=abc&watch=1',
  '?resourceVersion=1&watch=true&timeoutSeconds=1',
  '?watch=1&timeoutSeconds=-5',
];

const CONTENT_TYPES = [
  'application/json',
  'application/yaml',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
  'application/vnd.kubernetes.protobuf',
  'text/plain',
  undefined,
];

function randomBody(r: () => number): string | Buffer | undefined {
  const pick = Math.floor(r() * 16);
  switch (pick) {
    case 0:
      return undefined;
    case 1:
      return '{"apiVersion": "v1", "kind": ';
    case 2:
      return 'kind: [unclosed\n  - : :';
    case 3:
      return Buffer.from(
        Array.from({ length: 64 }, () => Math.floor(r() * 256)),
      );
    case 4:
      return '[]';
    case 5:
      return 'null';
    case 6:
      return JSON.stringify({
        apiVersion: 'v1',
        kind: 'Banana',
        metadata: { name: 'b' },
      });
    case 7:
      return JSON.stringify(workspace('fuzzed'));
    case 8:
      return JSON.stringify({
        ...workspace('fuzzed'),
        resource: { instanceType: 42 },
      });
    case 9:
      return JSON.stringify({
        ...workspace('fuzzed'),
        inference: undefined,
        tuning: { method: 'magic' },
      });
    case 10:
      return JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'UPPER_case!' },
      });
    case 11:
      return JSON.stringify([{ op: 'explode', path: '/x' }]);
    case 12:
      return JSON.stringify([{ op: 'remove', path: '/metadata/nothing/here' }]);
    case 13:
      return JSON.stringify({
        metadata: 'not-an-object',
        kind: 'Workspace',
        apiVersion: 'kaito.sh/v1beta1',
      });
    case 14: {
      let deep: unknown = 'x';
      for (let i = 0; i < 200; i++) deep = { a: deep };
      return JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'deep' },
        data: deep,
      });
    }
    default:
      return `${'{'.repeat(50)}`;
  }
}

describe('fuzzing the simulated API server', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ token: 'fuzz-token-123456', log: () => {} });
    await kube(sim, 'POST', WS_PATH('default'), workspace('fuzzed'));
  });
  afterAll(() => sim.stop());

  it('answers 300 fuzzed requests with well-formed Status bodies and never a 500', async () => {
    const r = prng(20240611);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let count = 0;
    const one = async (i: number) => {
      const oversized = i % 50 === 7;
      let method = [
        'GET',
        'POST',
        'PUT',
        'PATCH',
        'DELETE',
        'OPTIONS',
        'HEAD',
        'PURGE',
        'BREW',
      ][Math.floor(r() * 9)];
      let path =
        PATHS[Math.floor(r() * PATHS.length)] +
        QUERIES[Math.floor(r() * QUERIES.length)];
      if (oversized) {
        method = r() < 0.5 ? 'POST' : 'PATCH';
        path =
          method === 'POST'
            ? '/api/v1/namespaces/default/configmaps'
            : '/apis/kaito.sh/v1beta1/namespaces/default/workspaces/fuzzed';
      }
      let body: string | Buffer | undefined;
      if (oversized) body = 'x'.repeat(3 * 1024 * 1024 + 1);
      else if (method !== 'GET' && method !== 'HEAD') body = randomBody(r);
      const contentType = CONTENT_TYPES[Math.floor(r() * CONTENT_TYPES.length)];
      const tokenRoll = r();
      const headers: Record<string, string> = {};
      if (tokenRoll > 0.15 || oversized)
        headers.authorization = 'Bearer fuzz-token-123456';
      else if (tokenRoll > 0.05) headers.authorization = 'Bearer wrong';
      if (contentType && body !== undefined)
        headers['content-type'] = contentType;
      const ctrl = new AbortController();
      // Watch streams stay open, so they are cut after 300 ms; any other request
      // gets a generous bound (a loaded CI machine may be slow to answer).
      const timer = setTimeout(
        () => ctrl.abort(),
        path.includes('watch') ? 300 : 30_000,
      );
      let res: Response;
      try {
        res = await fetch(`${sim.url}${path}`, {
          method: method === 'BREW' ? 'PROPFIND' : method,
          headers,
          body,
          signal: ctrl.signal,
        });
      } catch (e) {
        clearTimeout(timer);
        // Only open watch streams may be cut by our own abort.
        if (!(path.includes('watch') && (e as Error).name === 'AbortError'))
          failures.push(`${method} ${path}: ${(e as Error).message}`);
        count++;
        return;
      }
      let text = '';
      try {
        text = await res.text();
      } catch (e) {
        if (!path.includes('watch'))
          failures.push(`${method} ${path}: body ${(e as Error).message}`);
      }
      clearTimeout(timer);
      count++;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const proxied = path.includes('/proxy/');
      if (res.status >= 500 && !(proxied && res.status === 503))
        failures.push(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      if (text.includes('fuzz-token-123456'))
        failures.push(`${method} ${path}: token echoed`);
      if (/\n\s+at .+\(.*:\d+:\d+\)/.test(text))
        failures.push(`${method} ${path}: stack trace`);
      if (
        res.status >= 400 &&
        method !== 'HEAD' &&
        !(proxied && res.status < 500 && !text.includes('"kind":"Status"'))
      ) {
        let status: any;
        try {
          status = JSON.parse(text);
        } catch {
          failures.push(
            `${method} ${path}: ${res.status} body is not JSON: ${text.slice(
              0,
              100,
            )}`,
          );
          return;
        }
        if (
          status.kind !== 'Status' ||
          status.apiVersion !== 'v1' ||
          status.status !== 'Failure' ||
          status.code !== res.status ||
          typeof status.message !== 'string' ||
          !status.message ||
          typeof status.reason !== 'string'
        ) {
          failures.push(
            `${method} ${path}: malformed Status ${text.slice(0, 200)}`,
          );
        }
      }
    };
    const total = 300;
    for (let i = 0; i < total; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => one(i + j)));
    }
    expect(failures).toEqual([]);
    expect(count).toBe(total);
    // The fuzz reached a broad set of answers, not just one kind of error.
    const seen = [...statuses.keys()].sort();
    expect(seen).toEqual(
      expect.arrayContaining([200, 400, 401, 404, 405, 413, 415, 422]),
    );

    // Still alive and still correct afterwards.
    expect(
      (await kube(sim, 'GET', '/healthz', undefined, { token: null })).text,
    ).toBe('ok');
    expect(
      (
        await kube(sim, 'POST', '/api/v1/namespaces', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'after' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await kube(
          sim,
          'POST',
          WS_PATH('after'),
          workspace('after-fuzz', 'after'),
        )
      ).status,
    ).toBe(201);
    await waitFor(
      async () =>
        (
          await kube(sim, 'GET', WS_PATH('after', 'after-fuzz'))
        ).json.status?.state === 'Ready',
      'Ready after fuzz',
    );
  });

  it('answers malformed YAML/JSON, unknown kinds, schema violations and bad tokens like a real API server', async () => {
    // The fuzz may well have deleted "default"; use a namespace of our own.
    await kube(sim, 'POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'strict' },
    });
    const cases: Array<[string, Promise<any>, number, string]> = [
      [
        'malformed JSON',
        kube(sim, 'POST', WS_PATH('strict'), '{"kind":', {}),
        400,
        'BadRequest',
      ],
      [
        'malformed YAML apply',
        kube(
          sim,
          'PATCH',
          `${WS_PATH('strict', 'y')}?fieldManager=t`,
          'a: [b',
          { contentType: 'application/apply-patch+yaml' },
        ),
        400,
        'BadRequest',
      ],
      [
        'unknown kind',
        kube(sim, 'POST', WS_PATH('strict'), {
          apiVersion: 'kaito.sh/v1beta1',
          kind: 'Gadget',
          metadata: { name: 'g' },
        }),
        400,
        'BadRequest',
      ],
      [
        'unknown resource',
        kube(sim, 'GET', '/apis/kaito.sh/v1beta1/gadgets'),
        404,
        'NotFound',
      ],
      [
        'schema violation',
        kube(sim, 'POST', WS_PATH('strict'), {
          ...workspace('sv', 'strict'),
          resource: { instanceType: 'Standard_NC24ads_A100_v4' },
        }),
        422,
        'Invalid',
      ],
      [
        'wrong token',
        kube(sim, 'GET', WS_PATH('strict'), undefined, { token: 'nope' }),
        401,
        'Unauthorized',
      ],
      [
        'oversized body',
        kube(sim, 'POST', WS_PATH('strict'), 'x'.repeat(4 * 1024 * 1024)),
        413,
        'RequestEntityTooLarge',
      ],
      [
        'protobuf body',
        kube(sim, 'POST', WS_PATH('strict'), 'k8s\0', {
          contentType: 'application/vnd.kubernetes.protobuf',
        }),
        415,
        'UnsupportedMediaType',
      ],
      [
        'method on collection',
        kube(sim, 'PUT', WS_PATH('strict'), workspace('m', 'strict')),
        405,
        'MethodNotAllowed',
      ],
    ];
    for (const [what, p, code, reason] of cases) {
      const res = await p;
      expect({
        what,
        status: res.status,
        reason: res.json?.reason,
        code: res.json?.code,
      }).toEqual({ what, status: code, reason, code });
    }
  });
});
