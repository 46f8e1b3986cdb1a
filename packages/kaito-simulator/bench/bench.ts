/**
 * Simulator benchmarks (run: `yarn workspace @kaito-backstage/kaito-simulator bench`).
 *
 * 1. Time for a Workspace to reach Ready in test mode, observed by a watch.
 * 2. SSE chunks per second the inference server streams on one core
 *    (this process runs server and client on the same event loop), both
 *    directly and through the API server's service proxy.
 */
import { startSimulator } from '../src';

const WORKSPACES = 20;
const CHUNKS = 20000;
const RUNS = 3;

function ws(name: string) {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name, namespace: 'default' },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: name } },
    },
    inference: { preset: { name: 'phi-4-mini-instruct' } },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function timeToReady(): Promise<number[]> {
  const sim = await startSimulator({ log: () => {} });
  const auth = { authorization: `Bearer ${sim.token}` };
  const readyAt = new Map<string, number>();
  const ctrl = new AbortController();
  const watch = await fetch(
    `${sim.url}/apis/kaito.sh/v1beta1/namespaces/default/workspaces?watch=1`,
    { headers: auth, signal: ctrl.signal },
  );
  const reader = watch.body!.getReader();
  let buf = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += Buffer.from(value).toString('utf8');
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const ev = JSON.parse(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          if (
            ev.object?.status?.state === 'Ready' &&
            !readyAt.has(ev.object.metadata.name)
          )
            readyAt.set(ev.object.metadata.name, performance.now());
        }
      }
    } catch {
      // aborted
    }
  })();
  const times: number[] = [];
  for (let i = 0; i < WORKSPACES; i++) {
    const name = `bench-${i}`;
    const t0 = performance.now();
    const res = await fetch(
      `${sim.url}/apis/kaito.sh/v1beta1/namespaces/default/workspaces`,
      {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(ws(name)),
      },
    );
    if (res.status !== 201)
      throw new Error(`create failed: ${res.status} ${await res.text()}`);
    while (!readyAt.has(name)) await new Promise(r => setTimeout(r, 1));
    times.push(readyAt.get(name)! - t0);
  }
  ctrl.abort();
  await pump;
  await sim.stop();
  return times.sort((a, b) => a - b);
}

async function streamChunks(
  url: string,
  headers: Record<string, string>,
): Promise<{ chunks: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      stream: true,
      max_tokens: CHUNKS,
      min_tokens: CHUNKS,
      messages: [{ role: 'user', content: 'benchmark' }],
    }),
  });
  if (res.status !== 200)
    throw new Error(`stream failed: ${res.status} ${await res.text()}`);
  const reader = res.body!.getReader();
  let chunks = 0;
  let tail = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const text = tail + Buffer.from(value).toString('utf8');
    const frames = text.split('\n\n');
    tail = frames.pop()!;
    for (const f of frames)
      if (f.includes('"content":"') && !f.includes('"content":""')) chunks++;
  }
  return { chunks, ms: performance.now() - t0 };
}

async function chunkRate(): Promise<{ direct: number[]; proxied: number[] }> {
  const sim = await startSimulator({ log: () => {} });
  const auth = { authorization: `Bearer ${sim.token}` };
  await fetch(
    `${sim.url}/apis/kaito.sh/v1beta1/namespaces/default/workspaces`,
    {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(ws('stream')),
    },
  );
  let direct = sim.inferenceUrl('default', 'stream');
  while (!direct) {
    await new Promise(r => setTimeout(r, 2));
    direct = sim.inferenceUrl('default', 'stream');
  }
  const out = { direct: [] as number[], proxied: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    const d = await streamChunks(`${direct}/v1/chat/completions`, {});
    if (d.chunks !== CHUNKS)
      throw new Error(`expected ${CHUNKS} chunks, got ${d.chunks}`);
    out.direct.push((d.chunks / d.ms) * 1000);
    const p = await streamChunks(
      `${sim.url}/api/v1/namespaces/default/services/stream:http/proxy/v1/chat/completions`,
      auth,
    );
    out.proxied.push((p.chunks / p.ms) * 1000);
  }
  await sim.stop();
  return out;
}

async function main() {
  const ready = await timeToReady();
  const rates = await chunkRate();
  const med = (xs: number[]) =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(
    `kaito-simulator bench (node ${process.version}, one process = one core)`,
  );
  console.log(
    `time to Ready (test mode, ${WORKSPACES} workspaces): median ${percentile(
      ready,
      50,
    ).toFixed(1)} ms, p95 ${percentile(ready, 95).toFixed(1)} ms, max ${ready[
      ready.length - 1
    ].toFixed(1)} ms (target < 200 ms)`,
  );
  console.log(
    `inference stream, direct: median ${Math.round(
      med(rates.direct),
    )} chunks/s over ${RUNS} x ${CHUNKS} chunks (target >= 5000)`,
  );
  console.log(
    `inference stream, via service proxy: median ${Math.round(
      med(rates.proxied),
    )} chunks/s`,
  );
  const ok = percentile(ready, 50) < 200 && med(rates.direct) >= 5000;
  if (!ok) {
    console.error('bench: below target');
    process.exitCode = 1;
  }
}

main().catch(e => {
  console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
