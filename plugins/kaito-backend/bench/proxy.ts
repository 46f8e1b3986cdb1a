/**
 * bench:proxy — chat streaming overhead of kaito-backend, against the
 * simulator's inference server, compared with calling the upstream directly
 * and with @backstage/plugin-proxy-backend configured to the same upstream.
 *
 * Three processes: simulators, the Backstage backend, and this load
 * generator. The upstream for every path is the API server's service proxy
 * of Workspace ws0 (what kaito-backend uses by default).
 *
 *   yarn bench:proxy            (env: BENCH_QUICK=1 for a short run)
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { workspaceEntity } from '../src/__testUtils__/entities';
import { rssMiB, startChild, stopAllChildren } from './lib/children';
import {
  openIdleStreams,
  percentile,
  runStreams,
  StreamResult,
} from './lib/load';

type SimInfo = {
  url: string;
  token: string;
  inferenceUrl: string;
  pid: number;
};
type Path = { name: string; url: string; headers: Record<string, string> };

const quick = process.env.BENCH_QUICK === '1';
const IDLE_STREAMS = Number(process.env.IDLE_STREAMS ?? 1000);
const body = JSON.stringify({
  model: 'phi-4-mini-instruct',
  messages: [
    { role: 'user', content: 'Explain what KAITO does in one paragraph.' },
  ],
  stream: true,
  max_tokens: 32,
});
const upstreamOf = (s: SimInfo) =>
  `${s.url}/api/v1/namespaces/default/services/ws0:http/proxy`;
const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

async function main() {
  const sims = {
    paced: (
      await startChild<SimInfo>('simServer.ts', { TOKENS_PER_SECOND: '100' })
    ).info,
    fast: (
      await startChild<SimInfo>('simServer.ts', { TOKENS_PER_SECOND: '0' })
    ).info,
    idle: (
      await startChild<SimInfo>('simServer.ts', { TOKENS_PER_SECOND: '0.2' })
    ).info,
  };
  const names = Object.keys(sims) as Array<keyof typeof sims>;
  const config = {
    backend: { auth: { dangerouslyDisableDefaultAuthPolicy: false } },
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: names.map(n => ({
            name: n,
            url: sims[n].url,
            authProvider: 'serviceAccount',
            serviceAccountToken: sims[n].token,
            skipTLSVerify: true,
          })),
        },
      ],
    },
    kaito: { limits: { maxConcurrentStreamsPerUser: 100_000, maxTokens: 64 } },
    proxy: {
      endpoints: Object.fromEntries(
        names.map(n => [
          `/${n}`,
          {
            target: upstreamOf(sims[n]),
            headers: { Authorization: `Bearer ${sims[n].token}` },
            allowedMethods: ['GET', 'POST'],
          },
        ]),
      ),
    },
  };
  const entities = names.map(n => workspaceEntity(`ws-${n}`, 'default/ws0', n));
  const startBackend = () =>
    startChild<{ port: number; pid: number }>('backendServer.ts', {
      BACKEND_CONFIG: JSON.stringify(config),
      BACKEND_ENTITIES: JSON.stringify(entities),
    });
  const user = {
    authorization: mockCredentials.user.header('user:default/bench'),
  };
  const pathsOf = (base: string, n: keyof typeof sims): Path[] => [
    {
      name: 'direct',
      url: `${upstreamOf(sims[n])}/v1/chat/completions`,
      headers: { authorization: `Bearer ${sims[n].token}` },
    },
    {
      name: 'kaito-backend',
      url: `${base}/api/kaito/entity/component/default/ws-${n}/chat/completions`,
      headers: user,
    },
    {
      name: 'proxy-backend',
      url: `${base}/api/proxy/${n}/v1/chat/completions`,
      headers: user,
    },
  ];

  // Memory first, each path in a fresh backend process: RSS only grows, so a
  // backend that already served the load tests would hide what streams cost.
  const idleBody = JSON.stringify({
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    max_tokens: 8,
  });
  const memory: string[] = [];
  for (const which of [1, 2]) {
    const fresh = await startBackend();
    const p = pathsOf(`http://127.0.0.1:${fresh.info.port}`, 'idle')[which];
    await runStreams({
      ...pathsOf(`http://127.0.0.1:${fresh.info.port}`, 'fast')[which],
      body,
      concurrency: 4,
      perWorker: 5,
    });
    await new Promise(r => setTimeout(r, 1000));
    const before = rssMiB(fresh.pid);
    const open = await openIdleStreams({ ...p, body: idleBody }, IDLE_STREAMS);
    await new Promise(r => setTimeout(r, 3000));
    const during = rssMiB(fresh.pid);
    open.close();
    memory.push(
      `| ${p.name} | ${IDLE_STREAMS} | ${fmt(before, 0)} | ${fmt(
        during,
        0,
      )} | +${fmt(during - before, 1)} | ${open.failed} |`,
    );
    fresh.stop();
  }

  const backend = await startBackend();
  const paths = (n: keyof typeof sims) =>
    pathsOf(`http://127.0.0.1:${backend.info.port}`, n);

  // Warm up every path (JIT, keep-alive sockets, readiness sync, protocol detection).
  for (const n of ['paced', 'fast'] as const) {
    for (const p of paths(n)) {
      const r = await runStreams({ ...p, body, concurrency: 8, perWorker: 5 });
      if (r.errors)
        throw new Error(`warm-up of ${p.name} (${n}) failed: ${r.firstError}`);
    }
  }

  const rows: string[] = [];
  const results: Record<string, StreamResult> = {};
  for (const concurrency of [1, 64]) {
    for (const p of paths('paced')) {
      // Steady state: 64 users whose turns are spread over one answer's time (~330 ms).
      const perWorker = concurrency === 1 ? 60 : 6;
      const r = await runStreams({
        ...p,
        body,
        concurrency,
        perWorker: quick ? Math.ceil(perWorker / 3) : perWorker,
        staggerMs: 330,
      });
      results[`paced/${concurrency}/${p.name}`] = r;
    }
    for (const p of paths('fast')) {
      const r = await runStreams({
        ...p,
        body,
        concurrency,
        durationMs: quick ? 1000 : 3000,
      });
      results[`fast/${concurrency}/${p.name}`] = r;
    }
  }
  rows.push(
    '| concurrency | path | TTFB p50 ms | TTFB p99 ms | added TTFB p50/p99 ms | inter-chunk p50 ms | inter-chunk p99 ms | paced streams/s | unthrottled streams/s | errors |',
  );
  rows.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const concurrency of [1, 64]) {
    const direct = results[`paced/${concurrency}/direct`];
    for (const name of ['direct', 'kaito-backend', 'proxy-backend']) {
      const paced = results[`paced/${concurrency}/${name}`];
      const fast = results[`fast/${concurrency}/${name}`];
      const added =
        name === 'direct'
          ? '-'
          : `${fmt(
              percentile(paced.ttfb, 50) - percentile(direct.ttfb, 50),
            )} / ${fmt(
              percentile(paced.ttfb, 99) - percentile(direct.ttfb, 99),
            )}`;
      rows.push(
        `| ${concurrency} | ${name} | ${fmt(
          percentile(paced.ttfb, 50),
        )} | ${fmt(percentile(paced.ttfb, 99))} | ${added} | ${fmt(
          percentile(paced.gaps, 50),
        )} | ${fmt(percentile(paced.gaps, 99))} | ${fmt(
          (paced.completed * 1000) / paced.elapsedMs,
          1,
        )} | ${fmt((fast.completed * 1000) / fast.elapsedMs, 0)} | ${
          paced.errors + fast.errors
        } |`,
      );
    }
  }

  const out = [
    `kaito-backend chat relay benchmark (${
      quick ? 'quick' : 'full'
    } run, Node ${process.version}, ${require('node:os').cpus().length} CPUs)`,
    'Paced upstream: 100 tokens/s, max_tokens 32 (model-bound). Unthrottled: tokensPerSecond 0 (CPU-bound, 3 s per cell).',
    '',
    ...rows,
    '',
    '| path | idle streams | backend RSS before MiB | with streams open MiB | delta MiB | failed |',
    '|---|---|---|---|---|---|',
    ...memory,
  ].join('\n');
  process.stdout.write(`${out}\n`);
}

main()
  .catch(e => {
    process.stderr.write(`bench:proxy failed: ${e.stack ?? e}\n`);
    process.exitCode = 1;
  })
  .finally(stopAllChildren);
