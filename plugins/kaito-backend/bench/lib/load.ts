import http from 'node:http';

export interface StreamResult {
  /** Time to first body byte, ms, per stream. */
  ttfb: number[];
  /** Gaps between consecutive body chunks, ms. */
  gaps: number[];
  completed: number;
  errors: number;
  elapsedMs: number;
  firstError?: string;
}

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  concurrency: number;
  /** Streams per worker. */
  perWorker?: number;
  /** Or: keep going until this much time has passed. */
  durationMs?: number;
  /**
   * Spread the workers' first requests over this many ms, so arrivals are
   * steady rather than one burst of `concurrency` requests at the same instant.
   */
  staggerMs?: number;
}

/** One streamed POST; resolves with its timings. */
function oneStream(
  agent: http.Agent,
  o: LoadOptions,
): Promise<{ ttfb: number; gaps: number[]; ok: boolean; error?: string }> {
  return new Promise(resolve => {
    const start = performance.now();
    let last = 0;
    let ttfb = -1;
    const gaps: number[] = [];
    let text = '';
    const req = http.request(
      o.url,
      {
        method: 'POST',
        agent,
        headers: {
          ...o.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(o.body),
        },
      },
      res => {
        res.on('data', (chunk: Buffer) => {
          const now = performance.now();
          if (ttfb < 0) ttfb = now - start;
          else gaps.push(now - last);
          last = now;
          if (text.length < 200_000) text += chunk.toString();
        });
        res.on('end', () => {
          const ok = res.statusCode === 200 && text.includes('[DONE]');
          resolve({
            ttfb,
            gaps,
            ok,
            error: ok ? undefined : `${res.statusCode} ${text.slice(0, 200)}`,
          });
        });
        res.on('error', e =>
          resolve({ ttfb, gaps, ok: false, error: String(e) }),
        );
      },
    );
    req.on('error', e => resolve({ ttfb, gaps, ok: false, error: String(e) }));
    req.end(o.body);
  });
}

/** Runs `concurrency` workers, each streaming back to back. */
export async function runStreams(o: LoadOptions): Promise<StreamResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  const result: StreamResult = {
    ttfb: [],
    gaps: [],
    completed: 0,
    errors: 0,
    elapsedMs: 0,
  };
  const start = performance.now();
  const deadline = o.durationMs ? start + o.durationMs : Infinity;
  const worker = async (index: number) => {
    if (o.staggerMs)
      await new Promise(r =>
        setTimeout(r, (index * o.staggerMs!) / o.concurrency),
      );
    for (let i = 0; o.perWorker === undefined || i < o.perWorker; i++) {
      if (performance.now() > deadline) break;
      const r = await oneStream(agent, o);
      if (r.ok) {
        result.completed++;
        result.ttfb.push(r.ttfb);
        result.gaps.push(...r.gaps);
      } else {
        result.errors++;
        result.firstError ??= r.error;
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, (_, i) => worker(i)));
  result.elapsedMs = performance.now() - start;
  agent.destroy();
  return result;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

/** Opens n streams and keeps them open; resolves once each has its first byte. */
export async function openIdleStreams(
  o: Omit<LoadOptions, 'concurrency'>,
  n: number,
) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const requests: http.ClientRequest[] = [];
  let failed = 0;
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>(resolve => {
          const req = http.request(
            o.url,
            {
              method: 'POST',
              agent,
              headers: { ...o.headers, 'content-type': 'application/json' },
            },
            res => {
              if (res.statusCode !== 200) failed++;
              res.once('data', () => resolve());
              res.on('error', () => resolve());
              res.on('end', () => resolve());
            },
          );
          req.on('error', () => {
            failed++;
            resolve();
          });
          req.end(o.body);
          requests.push(req);
        }),
    ),
  );
  return {
    failed,
    close() {
      for (const r of requests) r.destroy();
      agent.destroy();
    },
  };
}
