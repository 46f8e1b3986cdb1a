import { startSimulator, RunningSimulator } from '../simulator';
import { kube, waitFor, workspace, WS_PATH } from '../__testUtils__/http';

/** `name{labels} value` samples of a Prometheus text page, keyed by name and labels as written. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

const MODEL = 'model_name="phi-4-mini-instruct"';

describe("the simulated vLLM server's /metrics", () => {
  let sim: RunningSimulator;
  let base: string;
  const scrape = async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return samples(await res.text());
  };
  const gauge = async (name: string) =>
    (await scrape()).get(`${name}{${MODEL}}`);

  beforeAll(async () => {
    // Slow enough that streams stay open while the test looks.
    sim = await startSimulator({
      inference: { tokensPerSecond: 20, maxConcurrency: 8 },
      log: () => {},
    });
    const res = await kube(sim, 'POST', WS_PATH('default'), workspace('load'));
    if (res.status !== 201) throw new Error(`create workspace: ${res.status}`);
    base = await waitFor(
      () => sim.inferenceUrl('default', 'load'),
      'the inference URL',
      60_000,
    );
  }, 90_000);
  afterAll(() => sim.stop());

  it('publishes vLLM names whose values follow the requests in flight', async () => {
    const idle = await scrape();
    for (const name of [
      'vllm:num_requests_running',
      'vllm:num_requests_waiting',
      'vllm:kv_cache_usage_perc',
      'vllm:gpu_cache_usage_perc',
    ])
      expect(idle.get(`${name}{${MODEL}}`)).toBe(0);
    const promptBefore = idle.get(`vllm:prompt_tokens_total{${MODEL}}`)!;
    expect(promptBefore).toBe(0);

    const STREAMS = 3;
    const aborts = Array.from({ length: STREAMS }, () => new AbortController());
    const responses = await Promise.all(
      aborts.map((ac, i) =>
        fetch(`${base}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            stream: true,
            max_tokens: 1000,
            min_tokens: 1000,
            messages: [{ role: 'user', content: `long answer ${i}` }],
          }),
          signal: ac.signal,
        }),
      ),
    );
    expect(responses.map(r => r.status)).toEqual([200, 200, 200]);

    await waitFor(
      async () => (await gauge('vllm:num_requests_running')) === STREAMS,
      `${STREAMS} running requests`,
      30_000,
    );
    const busy = await scrape();
    expect(busy.get(`vllm:num_requests_waiting{${MODEL}}`)).toBe(0);
    const usage = busy.get(`vllm:kv_cache_usage_perc{${MODEL}}`)!;
    expect(usage).toBeGreaterThan(0);
    expect(usage).toBeLessThan(1);
    expect(busy.get(`vllm:gpu_cache_usage_perc{${MODEL}}`)).toBe(usage);
    expect(busy.get(`vllm:prompt_tokens_total{${MODEL}}`)).toBeGreaterThan(0);
    expect(busy.get(`vllm:time_to_first_token_seconds_count{${MODEL}}`)).toBe(
      STREAMS,
    );
    expect(
      busy.get(`vllm:time_to_first_token_seconds_bucket{${MODEL},le="+Inf"}`),
    ).toBe(STREAMS);
    // The cache grows while the answers do.
    await waitFor(
      async () =>
        ((await gauge('vllm:kv_cache_usage_perc')) ?? 0) > usage &&
        ((await gauge('vllm:generation_tokens_total')) ?? 0) >
          busy.get(`vllm:generation_tokens_total{${MODEL}}`)!,
      'the KV cache and generated tokens to grow',
      30_000,
    );

    for (const ac of aborts) ac.abort();
    await waitFor(
      async () => (await gauge('vllm:num_requests_running')) === 0,
      'no running request once the callers left',
      30_000,
    );
    const after = await scrape();
    expect(after.get(`vllm:kv_cache_usage_perc{${MODEL}}`)).toBe(0);
    expect(after.get(`vllm:num_requests_waiting{${MODEL}}`)).toBe(0);
    expect(after.get(`vllm:e2e_request_latency_seconds_count{${MODEL}}`)).toBe(
      STREAMS,
    );
  }, 90_000);
});
