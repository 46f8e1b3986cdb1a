/**
 * bench:fanout — readiness fan-out: 50 SSE viewers on 20 Workspaces.
 * Measures the cluster API requests the backend makes (through a counting
 * proxy) and how long a change in the cluster takes to reach every viewer.
 *
 *   yarn bench:fanout        (env: BENCH_QUICK=1 for 15 s instead of 60 s)
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { workspaceEntity } from '../src/__testUtils__/entities';
import { StreamClient } from '../src/__testUtils__/sseClient';
import { startChild, stopAllChildren } from './lib/children';
import { CountingProxy } from './lib/countingProxy';
import { percentile } from './lib/load';

const WORKSPACES = 20;
const VIEWERS = Number(process.env.VIEWERS ?? 50);
const DURATION_MS = process.env.BENCH_QUICK === '1' ? 15_000 : 60_000;
const CHANGE_EVERY_MS = 500;
const WATCH_TIMEOUT_S = 30;
/** Workspaces, pods, NodeClaims, Events. */
const WATCHED_TYPES = 4;

type SimInfo = { url: string; token: string };

async function main() {
  const sim = (
    await startChild<SimInfo>('simServer.ts', {
      WORKSPACES: String(WORKSPACES),
    })
  ).info;
  const counter = await CountingProxy.start(sim.url);
  const config = {
    // Short server-side watch timeouts, so the window shows watches being resumed.
    kaito: { watch: { timeoutSeconds: WATCH_TIMEOUT_S } },
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'sim',
              url: counter.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: sim.token,
              skipTLSVerify: true,
            },
          ],
        },
      ],
    },
  };
  const backendStartedAt = Date.now();
  const backend = await startChild<{ port: number }>('backendServer.ts', {
    BACKEND_CONFIG: JSON.stringify(config),
    BACKEND_ENTITIES: JSON.stringify(
      Array.from({ length: WORKSPACES }, (_, i) =>
        workspaceEntity(`ws-${i}`, `default/ws${i}`),
      ),
    ),
  });
  const base = `http://127.0.0.1:${backend.info.port}`;

  // arrivals[viewer] = list of { at, ws, resourceVersion }
  const arrivals: Array<Array<{ at: number; rv: number }>> = [];
  const viewers = Array.from({ length: VIEWERS }, (_, v) => {
    const c = new StreamClient(
      `${base}/api/kaito/entity/component/default/ws-${
        v % WORKSPACES
      }/workspace/events`,
      {
        headers: {
          authorization: mockCredentials.user.header(
            `user:default/viewer-${v}`,
          ),
        },
      },
    );
    arrivals[v] = [];
    let seen = 0;
    c.until(
      () => {
        for (; seen < c.events.length; seen++) {
          const e = c.events[seen];
          if (e.event !== 'snapshot') continue;
          const rv = Number(JSON.parse(e.data).workspace?.resourceVersion ?? 0);
          arrivals[v].push({ at: performance.now(), rv });
        }
        return false;
      },
      'never',
      DURATION_MS * 3,
    ).catch(() => undefined);
    return c;
  });
  for (;;) {
    if (
      arrivals.every(a => a.length > 0) &&
      counter.counts.watch >= WATCHED_TYPES
    )
      break;
    await new Promise(r => setTimeout(r, 20));
  }
  const setupRequests = { ...counter.counts };

  // Change Workspaces in the cluster at a steady pace; time until each viewer of it hears.
  const windowStart = Date.now();
  const changes: Array<{ ws: number; at: number; rv: number }> = [];
  let seq = 0;
  while (Date.now() - windowStart < DURATION_MS) {
    const ws = seq % WORKSPACES;
    const at = performance.now();
    const res = await fetch(
      `${sim.url}/apis/kaito.sh/v1beta1/namespaces/default/workspaces/ws${ws}`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${sim.token}`,
          'content-type': 'application/merge-patch+json',
        },
        body: JSON.stringify({
          metadata: { annotations: { 'bench/seq': String(seq++) } },
        }),
      },
    );
    const patched = (await res.json()) as {
      metadata: { resourceVersion: string };
    };
    changes.push({ ws, at, rv: Number(patched.metadata.resourceVersion) });
    await new Promise(r => setTimeout(r, CHANGE_EVERY_MS));
  }
  await new Promise(r => setTimeout(r, 1500));
  const windowMs = Date.now() - windowStart;
  const windowRequests = counter.countSince(windowStart);

  const latencies: number[] = [];
  let missed = 0;
  for (const change of changes) {
    for (let v = change.ws; v < VIEWERS; v += WORKSPACES) {
      const hit = arrivals[v].find(a => a.rv >= change.rv && a.at >= change.at);
      if (hit) latencies.push(hit.at - change.at);
      else missed++;
    }
  }
  const perMinute = (n: number) => ((n * 60_000) / windowMs).toFixed(1);
  const total = Object.values(windowRequests).reduce((a, b) => a + b, 0);
  const lines = [
    `kaito-backend readiness fan-out: ${VIEWERS} SSE viewers on ${WORKSPACES} Workspaces, ${
      changes.length
    } changes over ${(windowMs / 1000).toFixed(0)} s`,
    '',
    '| metric | value |',
    '|---|---|',
    `| cluster API requests at start-up (discovery / list / watch) | ${
      setupRequests.discovery
    } / ${setupRequests.list} / ${setupRequests.watch} (in ${(
      (windowStart - backendStartedAt) /
      1000
    ).toFixed(1)} s) |`,
    `| cluster API requests during the window (list / watch / other) | ${
      windowRequests.list
    } / ${windowRequests.watch} / ${
      windowRequests.other + windowRequests.discovery
    } |`,
    `| cluster API requests per minute, steady state | ${perMinute(
      total,
    )} (expected from watch renewals alone: ${(
      (WATCHED_TYPES * 60) /
      WATCH_TIMEOUT_S
    ).toFixed(1)}) |`,
    `| change -> viewer latency p50 / p95 / max ms | ${percentile(
      latencies,
      50,
    ).toFixed(1)} / ${percentile(latencies, 95).toFixed(1)} / ${Math.max(
      ...latencies,
    ).toFixed(1)} |`,
    `| deliveries measured / missed | ${latencies.length} / ${missed} |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  viewers.forEach(v => v.abort());
  stopAllChildren();
  counter.stop();
}

main()
  .catch(e => {
    process.stderr.write(`bench:fanout failed: ${e.stack ?? e}\n`);
    process.exitCode = 1;
  })
  .finally(stopAllChildren);
