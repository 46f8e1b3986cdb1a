import { startSimulator } from '@kaito-backstage/kaito-simulator';
import { loadConfig } from './config';
import { startServer } from './server';
import {
  readEvents,
  waitForInferenceReady,
  workspace,
} from './__testUtils__/simulator';

// A cap for a loaded CI machine (tests wait on events, this only bounds a hang).
jest.setTimeout(60_000);

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

describe('chat app against the KAITO simulator', () => {
  let sim: Simulator;
  const apps: Array<{ close(): Promise<void> }> = [];

  async function app(env: Record<string, string>) {
    const started = await startServer(
      loadConfig({ HOST: '127.0.0.1', PORT: '0', ...env }),
    );
    apps.push(started);
    return started.url;
  }

  function chat(url: string, body: unknown) {
    return fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  beforeAll(async () => {
    sim = await startSimulator({ seed: [workspace('phi', 'kaito-demo')] });
    await waitForInferenceReady(sim, 'kaito-demo', 'phi');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map(a => a.close()));
    await sim?.stop();
  });

  it('streams a reply from the workspace inference server, model detected from /v1/models', async () => {
    const url = await app({
      OPENAI_BASE_URL: `${sim.inferenceUrl('kaito-demo', 'phi')}/v1`,
      MAX_TOKENS: '40',
    });
    const models = await (
      await fetch(`${sim.inferenceUrl('kaito-demo', 'phi')}/v1/models`)
    ).json();
    const model = await (await fetch(`${url}/api/model`)).json();
    expect(model).toEqual({ model: models.data[0].id });

    const res = await chat(url, {
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const events = await readEvents(res);
    const deltas = events.filter(e => e.data.delta).map(e => e.data.delta);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toMatch(/simulated/i);
    expect(events[events.length - 1]).toEqual({
      event: 'message',
      data: { done: true },
    });
  });

  it('streams through the Kubernetes service proxy with a bearer token (the in-cluster Service path)', async () => {
    const url = await app({
      OPENAI_BASE_URL: `${sim.url}/api/v1/namespaces/kaito-demo/services/phi:80/proxy/v1`,
      OPENAI_API_KEY: sim.token,
      SYSTEM_PROMPT: 'You are terse.',
    });
    const res = await chat(url, {
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'And again?' },
      ],
    });
    expect(res.status).toBe(200);
    const text = (await readEvents(res)).map(e => e.data.delta ?? '').join('');
    expect(text.length).toBeGreaterThan(0);
  });

  it('says the credentials were refused when the endpoint answers 401, without internals', async () => {
    const url = await app({
      OPENAI_BASE_URL: `${sim.url}/api/v1/namespaces/kaito-demo/services/phi:80/proxy/v1`,
      OPENAI_API_KEY: 'wrong-token',
      OPENAI_MODEL: 'phi-4-mini-instruct',
    });
    const res = await chat(url, {
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(res.status).toBe(502);
    const body = await res.json();
    expect(body.error).toContain('refused the credentials (401)');
    expect(body.error).toContain('OPENAI_API_KEY');
    expect(JSON.stringify(body)).not.toContain('wrong-token');
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('answers 502 naming OPENAI_BASE_URL when the endpoint is unreachable', async () => {
    const url = await app({
      OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
      OPENAI_MODEL: 'm',
      UPSTREAM_TIMEOUT_MS: '5000',
    });
    const res = await chat(url, {
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(res.status).toBe(502);
    expect((await res.json()).error).toContain('OPENAI_BASE_URL');
  });

  it('rejects bad requests with 400 naming the field', async () => {
    const url = await app({
      OPENAI_BASE_URL: `${sim.inferenceUrl('kaito-demo', 'phi')}/v1`,
    });
    const cases: Array<[unknown, string]> = [
      [{}, 'messages: must be a non-empty list'],
      [{ messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
      [{ messages: [{ role: 'user', content: '' }] }, 'messages[0].content'],
    ];
    for (const [body, message] of cases) {
      const res = await chat(url, body);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toContain(message);
    }
    const notJson = await fetch(`${url}/api/chat`, {
      method: 'POST',
      body: '{not json',
    });
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error).toContain('body: must be JSON');
    const unknown = await fetch(`${url}/nope`);
    expect(unknown.status).toBe(404);
  });

  it('cancels the upstream request as soon as the page stops reading (stop button)', async () => {
    const slow = await startSimulator({
      seed: [workspace('slow', 'kaito-demo')],
      inference: { tokensPerSecond: 2 },
    });
    try {
      await waitForInferenceReady(slow, 'kaito-demo', 'slow');
      const inference = slow.inferenceUrl('kaito-demo', 'slow')!;
      const running = async () => {
        const metrics = await (await fetch(`${inference}/metrics`)).text();
        return Number(
          /^vllm:num_requests_running\{[^}]*\} (\d+)$/m.exec(metrics)?.[1],
        );
      };
      const url = await app({
        OPENAI_BASE_URL: `${inference}/v1`,
        OPENAI_MODEL: 'phi-4-mini-instruct',
        MAX_TOKENS: '4000',
      });
      const stop = new AbortController();
      const res = await fetch(`${url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          messages: [{ role: 'user', content: 'Tell a long story' }],
        }),
        signal: stop.signal,
      });
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toContain('"delta"');
      expect(await running()).toBe(1);

      stop.abort();
      // The model server sees the request end (its in-flight gauge drops) long before the
      // answer (tens of tokens at 2 tokens/s) would have finished.
      while ((await running()) !== 0) {
        await new Promise(resolve => setImmediate(resolve));
      }
      expect(await running()).toBe(0);
    } finally {
      await slow.stop();
    }
  });

  it('serves the chat page and a health check', async () => {
    const url = await app({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' });
    const page = await fetch(url);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain("fetch('api/chat'");
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({
      status: 'ok',
    });
  });
});
