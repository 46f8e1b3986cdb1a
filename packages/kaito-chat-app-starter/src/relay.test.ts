import { startSimulator } from '@kaito-backstage/kaito-simulator';
import { loadConfig } from './config';
import { startServer } from './server';
import { startPortal } from './__testUtils__/portal';
import {
  readEvents,
  waitForInferenceReady,
  workspace,
} from './__testUtils__/simulator';

// A cap for a loaded CI machine (tests wait on events, this only bounds a hang).
jest.setTimeout(60_000);

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

/** The "portal relay" target: app -> portal /api/kaito relay (real plugin) -> simulator. */
describe('chat app through the portal relay', () => {
  let sim: Simulator;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  const apps: Array<{ close(): Promise<void> }> = [];

  async function app(apiKey: string) {
    const started = await startServer(
      loadConfig({
        HOST: '127.0.0.1',
        PORT: '0',
        OPENAI_BASE_URL: portal.relayBaseUrl,
        OPENAI_API_KEY: apiKey,
      }),
    );
    apps.push(started);
    return started.url;
  }

  beforeAll(async () => {
    sim = await startSimulator({ seed: [workspace('phi', 'kaito-demo')] });
    await waitForInferenceReady(sim, 'kaito-demo', 'phi');
    portal = await startPortal({
      cluster: { url: sim.url, token: sim.token },
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'phi',
          namespace: 'default',
          annotations: { 'kaito.sh/workspace': 'kaito-demo/phi' },
        },
        spec: { type: 'kaito-workspace', owner: 'group:default/ml-platform' },
      },
    });
  }, 240_000);

  afterAll(async () => {
    await Promise.all(apps.map(a => a.close()));
    await portal?.stop();
    await sim?.stop();
  });

  it('detects the model and streams a reply with a portal token', async () => {
    const url = await app(portal.token);
    expect((await (await fetch(`${url}/api/model`)).json()).model).toBeTruthy();
    const res = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Hello' }] }),
    });
    expect(res.status).toBe(200);
    const events = await readEvents(res);
    const text = events.map(e => e.data.delta ?? '').join('');
    expect(text).toMatch(/simulated/i);
    expect(events[events.length - 1].data).toEqual({ done: true });
  });

  it('reports refused credentials when the token is not accepted by the portal', async () => {
    const url = await app('not-a-backstage-token');
    const res = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Hello' }] }),
    });
    expect(res.status).toBe(502);
    expect((await res.json()).error).toContain('refused the credentials (401)');
  });
});
