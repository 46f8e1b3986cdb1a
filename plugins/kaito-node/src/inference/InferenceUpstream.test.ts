import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import { readBody } from '../kubernetes/KubernetesClient';
import { KaitoClusters } from '../service';
import {
  createWorkspace,
  kaitoFor,
  workspace,
} from '../__testUtils__/simulator';
import { InferenceUpstream } from './InferenceUpstream';
import { clusterDnsTarget, externalTarget } from './targets';
import { UpstreamError } from './UpstreamError';

/**
 * Creates a Workspace and waits, on the watcher's own events, until it is
 * Ready. The first call also loads the Kubernetes client (seconds on a busy
 * machine), so it waits on the event, not on a deadline.
 */
async function readyWorkspace(
  kaito: KaitoClusters,
  sim: RunningSimulator,
  name: string,
  opts: { annotations?: Record<string, string>; preset?: string } = {},
) {
  await createWorkspace(sim, workspace(name, 'default', opts));
  const key = { cluster: 'sim', namespace: 'default', name };
  let subscription: Promise<() => void> | undefined;
  await new Promise<void>(resolve => {
    subscription = kaito.watcher.subscribe(key, s => {
      if (s.readiness?.phase === 'Ready') resolve();
    });
  });
  (await subscription!)();
  return { key, ...(await kaito.watcher.workspace(key)) };
}

const ask = {
  messages: [{ role: 'user' as const, content: 'Say hello' }],
  max_tokens: 8,
};

describe('InferenceUpstream', () => {
  // Waits are on events; this is only a safety net.
  jest.setTimeout(60_000);

  describe('vLLM (KAITO 0.12) through the service proxy', () => {
    let sim: RunningSimulator;
    let kaito: KaitoClusters;
    beforeAll(async () => {
      sim = await startSimulator({ log: () => {} });
      kaito = kaitoFor(sim);
    });
    afterAll(async () => {
      await kaito.stop();
      await sim.stop();
    });

    it('detects the OpenAI protocol once and caches the served model', async () => {
      const { key, workspace: ws } = await readyWorkspace(kaito, sim, 'phi');
      const upstream = await kaito.upstreams.forWorkspace(key, ws);
      expect(await kaito.upstreams.forWorkspace(key, ws)).toBe(upstream);
      const [a, b] = await Promise.all([upstream.detect(), upstream.detect()]);
      expect(a.protocol).toBe('openai');
      expect(b.models.data.map(m => m.id)).toEqual(['phi-4-mini-instruct']);
    });

    it('streams a chat answer as SSE and fills in the model', async () => {
      const { key, workspace: ws } = await readyWorkspace(kaito, sim, 'phi2');
      const upstream = await kaito.upstreams.forWorkspace(key, ws);
      const result = await upstream.chat(
        { ...ask, stream: true },
        new AbortController().signal,
      );
      if (result.protocol !== 'openai') throw new Error('expected openai');
      expect(result.model).toBe('phi-4-mini-instruct');
      expect(result.response.headers['content-type']).toContain(
        'text/event-stream',
      );
      const text = await readBody(result.response, 1e6);
      expect(text).toContain('data: [DONE]');
    });

    it('refuses a model the Workspace does not serve with a 400 naming the served ones', async () => {
      const { key, workspace: ws } = await readyWorkspace(kaito, sim, 'phi3');
      const upstream = await kaito.upstreams.forWorkspace(key, ws);
      const err = await upstream
        .chat({ ...ask, model: 'gpt-4' }, new AbortController().signal)
        .catch(e => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err).toMatchObject({ kind: 'invalid_request', status: 400 });
      expect(err.message).toContain('model "gpt-4" is not served');
      expect(err.message).toContain('allowed: phi-4-mini-instruct');
      // The served name itself goes through.
      const ok = await upstream.chat(
        { ...ask, model: 'phi-4-mini-instruct' },
        new AbortController().signal,
      );
      expect(ok.model).toBe('phi-4-mini-instruct');
      if (ok.protocol === 'openai') ok.response.resume();
    });

    it('reports a Workspace without a Service as unavailable, not as a legacy server', async () => {
      const upstream = await kaito.upstreams.forWorkspace({
        cluster: 'sim',
        namespace: 'default',
        name: 'absent',
      });
      const err = await upstream.detect().catch(e => e);
      expect(err).toMatchObject({ kind: 'upstream_rejected', status: 404 });
    });

    it('speaks to an external OpenAI-compatible endpoint with its key', async () => {
      await readyWorkspace(kaito, sim, 'direct');
      const url = sim.inferenceUrl('default', 'direct')!;
      const upstream = new InferenceUpstream(
        externalTarget({
          name: 'aoai',
          baseUrl: `${url}/v1`,
          apiKey: 'k',
          apiKeyHeader: 'api-key',
        }),
      );
      expect((await upstream.models()).data[0].id).toBe('phi-4-mini-instruct');
      const result = await upstream.chat(ask, new AbortController().signal);
      if (result.protocol !== 'openai') throw new Error('expected openai');
      expect(
        JSON.parse(await readBody(result.response, 1e6)).choices[0].message
          .role,
      ).toBe('assistant');
    });
  });

  describe('legacy Transformers runtime (KAITO 0.8)', () => {
    let sim: RunningSimulator;
    let kaito: KaitoClusters;
    beforeAll(async () => {
      sim = await startSimulator({ log: () => {}, controllerVersion: '0.8.0' });
      kaito = kaitoFor(sim);
    });
    afterAll(async () => {
      await kaito.stop();
      await sim.stop();
    });

    it('falls back to POST /chat on a 404 from /v1/models and answers in OpenAI shape', async () => {
      const { key, workspace: ws } = await readyWorkspace(kaito, sim, 'old', {
        annotations: { 'kaito.sh/runtime': 'transformers' },
        preset: 'phi-4',
      });
      const upstream = await kaito.upstreams.forWorkspace(key, ws);
      const detected = await upstream.detect();
      expect(detected.protocol).toBe('legacy');
      expect(detected.models.data.map(m => m.id)).toEqual(['phi-4']);
      const result = await upstream.chat(ask, new AbortController().signal);
      if (result.protocol !== 'legacy') throw new Error('expected legacy');
      expect(result.completion).toMatchObject({
        object: 'chat.completion',
        model: 'phi-4',
        // max_tokens 8 cuts the answer mid-sentence.
        choices: [{ message: { role: 'assistant' }, finish_reason: 'length' }],
      });
      expect(result.completion.choices[0].message.content).toEqual(
        expect.any(String),
      );
    });
  });

  it('classifies an unresolvable cluster DNS name as unreachable, with no URL in the message', async () => {
    const upstream = new InferenceUpstream(
      clusterDnsTarget({
        cluster: 'c',
        namespace: 'default',
        name: 'ws',
        clusterDomain: 'invalid',
      }),
    );
    const err = await upstream.detect().catch(e => e);
    expect(err).toMatchObject({ kind: 'unreachable', status: 502 });
    // ENOTFOUND, or EAI_AGAIN on a machine without a resolver.
    expect(err.message).toMatch(
      /^Workspace default\/ws on cluster 'c' could not be reached \((ENOTFOUND|EAI_AGAIN)\)$/,
    );
  });

  it('refuses names that are not DNS labels and paths outside the model API', () => {
    expect(() =>
      clusterDnsTarget({
        cluster: 'c',
        namespace: 'kube-system/x',
        name: 'ws',
      }),
    ).toThrow('Invalid namespace');
    expect(() =>
      clusterDnsTarget({
        cluster: 'c',
        namespace: 'default',
        name: 'ws.evil.com',
      }),
    ).toThrow('Invalid workspace name');
    const t = clusterDnsTarget({
      cluster: 'c',
      namespace: 'default',
      name: 'ws',
    });
    expect(() => t.send('/../../api/v1/secrets', {})).toThrow('Refusing');
  });
});
