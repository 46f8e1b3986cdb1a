import { mockCredentials } from '@backstage/backend-test-utils';
import {
  startSimulator,
  RunningSimulator,
} from '@kaito-backstage/kaito-simulator';
import { workspaceEntity, workspaceManifest } from './__testUtils__/entities';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
  waitForPhase,
} from './__testUtils__/backend';
import { clusterConfig, waitFor } from './__testUtils__/simulator';
import { StreamClient } from './__testUtils__/sseClient';

// The completion limit against a model's context length, through the real
// backend and the simulator, which refuses prompt + max_tokens past
// max_model_len as vLLM does: a request without max_tokens gets the room
// the context leaves (at most kaito.limits.maxTokens), not a fixed 4096.

describe('max_tokens and the context length', () => {
  let sim: RunningSimulator;
  let kb: KaitoTestBackend;
  let base: string;

  beforeAll(async () => {
    sim = await startSimulator({
      log: () => {},
      seed: [
        workspaceManifest('phi3', { preset: 'phi-3-mini-4k-instruct' }),
        workspaceManifest('phi4'),
      ],
    });
    kb = await startKaitoTestBackend({
      config: clusterConfig([{ name: 'sim', url: sim.url, token: sim.token }]),
      entities: [workspaceEntity('phi3'), workspaceEntity('phi4')],
    });
    base = `http://127.0.0.1:${(kb.server.address() as { port: number }).port}`;
    await waitForPhase(kb, 'phi3');
    await waitForPhase(kb, 'phi4');
  }, 120_000);

  afterAll(async () => {
    await kb?.stop();
    await sim?.stop();
  });

  const post = (name: string, body: Record<string, unknown>) =>
    kb.post(`${entityPath(name)}/chat/completions`, {
      messages: [{ role: 'user', content: 'Explain GPUs' }],
      ...body,
    });
  const lastAudit = async () => {
    const audit = () =>
      kb.audits.filter(a => a.options.eventId === 'chat-completion').at(-1);
    await waitFor(() => audit()?.outcome, 'the audit event', 30_000);
    return audit()!.outcome!;
  };

  it('answers a 4k-context model without max_tokens, sending the room the prompt leaves', async () => {
    const res = await post('phi3', {});
    expect(res.status).toBe(200);
    expect(res.body.choices[0].finish_reason).toBe('stop');
    // 12 characters at 3 a token, plus 8 for the message's template: 12.
    expect((await lastAudit()).meta).toMatchObject({ maxTokens: 4096 - 12 });
  });

  it('sends the cap, kaito.limits.maxTokens, to a model whose context is larger', async () => {
    expect((await post('phi4', {})).status).toBe(200);
    expect((await lastAudit()).meta).toMatchObject({ maxTokens: 4096 });
  });

  it('leaves max_tokens out when the prompt may fill a context no larger than the cap, and the server uses what is left', async () => {
    const res = await post('phi3', {
      messages: [{ role: 'user', content: 'word '.repeat(3000) }],
    });
    expect(res.status).toBe(200);
    expect((await lastAudit()).meta).toMatchObject({ maxTokens: null });
  });

  it("passes on the model server's 400 when the caller's max_tokens does not fit", async () => {
    const res = await post('phi3', { max_tokens: 4096 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('upstream_rejected');
    expect(res.body.error.message).toContain(
      "This model's maximum context length is 4096 tokens",
    );
  });

  it('reports finish_reason length when max_tokens cut the answer, streamed or not', async () => {
    const whole = await post('phi4', { max_tokens: 5 });
    expect(whole.body.choices[0].finish_reason).toBe('length');
    const stream = new StreamClient(
      `${base}${entityPath('phi4')}/chat/completions`,
      {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header(),
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          messages: [{ role: 'user', content: 'Explain GPUs' }],
          stream: true,
          max_tokens: 5,
        }),
      },
    );
    await stream.done;
    const finish = stream
      .json()
      .map(e => e.choices?.[0]?.finish_reason)
      .filter(Boolean);
    expect(finish).toEqual(['length']);
  });
});
