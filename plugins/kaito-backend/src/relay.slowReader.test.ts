import { entityPath } from './__testUtils__/backend';
import { startFloodChat } from './__testUtils__/floodChat';
import {
  ScriptedRelay,
  startScriptedRelay,
} from './__testUtils__/scriptedRelay';

// A caller that stops reading holds the model server back (back-pressure).
// While it does, the model is not the one keeping quiet: the idle limit must
// not end the stream blaming it. Only the total limit bounds a slow caller.

const IDLE_MS = 300;

describe('a slow caller and the idle limit', () => {
  let relay: ScriptedRelay;

  beforeAll(async () => {
    relay = await startScriptedRelay({
      targets: ['flood'],
      limits: { idleTimeoutMs: IDLE_MS, totalTimeoutMs: 600_000 },
    });
  }, 60_000);

  afterAll(() => relay?.stop());

  it('does not time the model out while the caller is not reading', async () => {
    const chat = startFloodChat({
      script: handler => relay.upstream.scripts.set('flood', handler),
      url: `${relay.base}${entityPath('flood')}/chat/completions`,
    });
    // Hold the caller until the model server has been held back, with
    // nothing drained, for several idle limits.
    await chat.heldBack(5 * IDLE_MS);
    expect(chat.progress.done).toBe(false);
    const text = await chat.resume();
    // The end of the stream (the whole of it would flood a failure report).
    expect(text.trimEnd().slice(-300)).toMatch(/data: \[DONE\]$/);
    expect(text.includes('"error"')).toBe(false);
    expect(text.split('data: {').length - 1).toBe(chat.totalEvents);
  }, 60_000);
});
