import { ragEngineReadiness } from '..';
import { RAG_READINESS_FIXTURES, type RagReadinessFixture } from './fixtures';
import { describeWithShared } from '../../__testUtils__/sharedReference';
import {
  loadCrdValidators,
  schemaErrors,
  type CrdValidators,
} from '../../__testUtils__/crdSchemas';

function verdict(f: RagReadinessFixture) {
  return ragEngineReadiness(f.engine, {
    now: Date.parse(f.now),
    pods: f.pods,
    nodeClaims: f.nodeClaims,
    events: f.events,
  });
}

/** One sentence, apart from the evidence quoted in parentheses. */
function oneSentence(reason: string): boolean {
  const own = reason.replace(/\([^()]*\)/g, '').replace(/\([^()]*\)/g, '');
  return /^[A-Z].*\.$/.test(own) && !/\.\s+[A-Z]/.test(own);
}

const PROGRESS = [
  'Pending',
  'ProvisioningNodes',
  'StartingService',
  'Deleting',
];

function outcomeFits(phase: string, outcome: string): boolean {
  if (PROGRESS.includes(phase)) return outcome === 'progress';
  if (phase === 'Failed') return ['terminal', 'retrying'].includes(outcome);
  return outcome === 'ready';
}

function messageWanted(want: string | undefined) {
  if (want) return expect.stringContaining(want);
  return 'not checked';
}

function fixSeen(fix: string | undefined, want: RegExp | boolean | undefined) {
  if (want === undefined) return 'not checked';
  if (typeof want === 'boolean') return fix !== undefined;
  return fix;
}

function fixWanted(want: RegExp | boolean | undefined) {
  if (want === undefined) return 'not checked';
  if (typeof want === 'boolean') return want;
  return expect.stringMatching(want);
}

describe('ragEngineReadiness fixtures (from the KAITO RAGEngine controller writes)', () => {
  it.each(RAG_READINESS_FIXTURES.map(f => [f.id, f] as const))(
    '%s',
    (_id, f) => {
      const r = verdict(f);
      const e = f.expect;
      expect({
        phase: r.phase,
        outcome: r.outcome,
        cause: r.cause,
        reason: r.reason,
        steps: r.steps.map(s => `${s.id}:${s.status}`).join(' '),
        canChat: r.canChat,
        kaitoMessage: e.kaitoMessage ? r.kaitoMessage?.text : 'not checked',
        fix: fixSeen(r.fix, e.fix),
        attempts: e.attempts === undefined ? 'not checked' : r.attempts,
        slow: e.slow === undefined ? 'not checked' : r.timing?.slow,
        // Progress is never failure and failure never progress.
        outcomeFitsPhase: outcomeFits(r.phase, r.outcome),
        // A terminal failure always names its fix; progress and Ready never carry a cause.
        terminalHasFix: r.outcome !== 'terminal' || r.fix !== undefined,
        causeOnlyWhenFailed: r.phase === 'Failed' || r.cause === undefined,
        oneSentence: oneSentence(r.reason),
        capped: (r.kaitoMessage?.text ?? '').length <= 257,
      }).toEqual({
        phase: e.phase,
        outcome: e.outcome,
        cause: e.cause,
        reason: expect.stringMatching(e.reason),
        steps: e.steps,
        canChat: e.canChat,
        kaitoMessage: messageWanted(e.kaitoMessage),
        fix: fixWanted(e.fix),
        attempts: e.attempts === undefined ? 'not checked' : e.attempts,
        slow: e.slow === undefined ? 'not checked' : e.slow,
        outcomeFitsPhase: true,
        terminalHasFix: true,
        causeOnlyWhenFailed: true,
        oneSentence: true,
        capped: true,
      });
    },
  );

  it('walks the happy path with compute in order, each step done before the next starts', () => {
    const path = RAG_READINESS_FIXTURES.filter(f => /^compute \d /.test(f.id));
    expect(path.map(f => verdict(f).phase)).toEqual([
      'Pending',
      'ProvisioningNodes',
      'ProvisioningNodes',
      'StartingService',
      'StartingService',
      'Ready',
    ]);
    let done = 0;
    for (const f of path) {
      const steps = verdict(f).steps;
      const n = steps.filter(s => s.status === 'done').length;
      expect(n).toBeGreaterThanOrEqual(done);
      // Done steps come first, then at most one active one, then pending ones.
      const order = steps.map(s => s.status).join(' ');
      expect(order).toMatch(/^(done )*(active )?(pending ?)*(done)?$/);
      done = n;
    }
    const ready = verdict(path[path.length - 1]);
    expect(ready.instanceType).toBe('Standard_NC4as_T4_v3');
    expect(ready.steps.find(s => s.id === 'ready')?.at).toBe(
      '2026-12-02T10:11:40Z',
    );
    expect(ready.timing).toEqual({
      since: '2026-12-02T10:11:40Z',
      seconds: 200,
      slow: false,
    });
  });

  it('gives typical durations for progress phases only', () => {
    const byId = (id: string) =>
      verdict(RAG_READINESS_FIXTURES.find(f => f.id === id)!);
    expect(byId('compute 2 creating the NodeClaim').timing).toEqual({
      since: '2026-12-02T10:00:05Z',
      seconds: 115,
      typicalSeconds: { min: 300, max: 900 },
      slow: false,
    });
    expect(
      byId('no compute 1 resource ready at once, container starting').timing
        ?.typicalSeconds,
    ).toEqual({ min: 30, max: 600 });
    expect(
      byId('service: Deployment not progressing (terminal)').timing
        ?.typicalSeconds,
    ).toBeUndefined();
  });

  it("shows the failing step with KAITO's words", () => {
    const r = verdict(
      RAG_READINESS_FIXTURES.find(
        f => f.id === 'service: Deployment not progressing (terminal)',
      )!,
    );
    const service = r.steps.find(s => s.id === 'service')!;
    expect(service).toEqual({
      id: 'service',
      title: 'Start the RAG engine service',
      status: 'failed',
      at: '2026-12-02T10:10:02Z',
      detail: expect.stringContaining('has timed out progressing'),
    });
    expect(r.kaitoMessage).toEqual({
      source: 'condition RAGEngineServiceReady (RAGEngineServiceStatusFailed)',
      text: expect.stringContaining('is not progressing'),
      truncated: false,
    });
  });

  it('puts the chosen failure on its step, not an older progress message', () => {
    const byId = (id: string) =>
      verdict(RAG_READINESS_FIXTURES.find(f => f.id === id)!);
    const quota = byId('quota from a Warning event (no NodeClaims given)');
    expect(quota.steps.find(s => s.id === 'nodes')?.detail).toContain(
      'exceeding approved standardNCASv3_T4Family',
    );
    const plugins = byId(
      'resource: node plugin installation timed out (KAITO retries)',
    );
    expect(plugins.steps.find(s => s.id === 'nodes')?.detail).toMatch(
      /^node plugin installation timed out/,
    );
  });

  it('while deleting, speaks only of the deletion', () => {
    const r = verdict(
      RAG_READINESS_FIXTURES.find(f =>
        f.id.startsWith('deleting a failed RAGEngine'),
      )!,
    );
    expect(r).toMatchObject({ phase: 'Deleting', outcome: 'progress' });
    expect(r.kaitoMessage).toBeUndefined();
    expect(r.fix).toBeUndefined();
    expect(r.timing).toEqual({
      since: '2026-12-02T10:11:40Z',
      seconds: 10,
      typicalSeconds: { min: 5, max: 300 },
      slow: false,
    });
  });

  it("redacts tokens everywhere and caps KAITO's message at 256 characters", () => {
    const r = verdict(
      RAG_READINESS_FIXTURES.find(f => f.id.startsWith('secrets'))!,
    );
    const all = JSON.stringify(r);
    for (const secret of [
      'sk-live-0123456789abcdef',
      'AbCdEf0123456789',
      'hf_abcdefghijklmnopqrstu',
      'sk-proj-ABCDEFGHIJKLMNOP',
    ])
      expect(all).not.toContain(secret);
    expect(r.kaitoMessage?.truncated).toBe(true);
    expect(r.kaitoMessage?.text).toHaveLength(257);
    expect(r.kaitoMessage?.text).toContain('Bearer ***');
    expect(
      r.conditions.find(c => c.type === 'RAGEngineServiceReady')?.message,
    ).toContain('HF_TOKEN=***');
  });

  it('throws only for what is not a RAGEngine', () => {
    expect(() => ragEngineReadiness(null as never)).toThrow(/RAGEngine/);
    expect(() => ragEngineReadiness({ kind: 'Workspace' } as never)).toThrow(
      /expected kind RAGEngine, got Workspace/,
    );
    const bare = ragEngineReadiness({ kind: 'RAGEngine' } as never, {
      now: 0,
    });
    expect(bare).toMatchObject({
      phase: 'Pending',
      outcome: 'progress',
      canChat: false,
    });
    const junk = ragEngineReadiness(
      {
        kind: 'RAGEngine',
        spec: { embedding: {} },
        status: { conditions: [null, 'x', { type: 'ResourceReady' }] },
      } as never,
      { pods: 'nope' as never, events: {} as never },
    );
    expect(junk.phase).toBe('Pending');
    expect(junk.conditions).toEqual([]);
  });
});

describeWithShared(
  'RAGEngine readiness fixtures conform to the KAITO CRD',
  () => {
    let crd: CrdValidators;
    beforeAll(() => {
      crd = loadCrdValidators('kaito.sh_ragengines.yaml');
    });

    it.each(RAG_READINESS_FIXTURES.map(f => [f.id, f] as const))(
      '%s',
      (_id, f) => {
        const version = f.engine.apiVersion.split('/')[1];
        expect(crd[version]).toBeDefined();
        expect(schemaErrors(crd[version], f.engine)).toEqual([]);
      },
    );

    it('covers both served versions', () => {
      const versions = new Set(
        RAG_READINESS_FIXTURES.map(f => f.engine.apiVersion),
      );
      expect([...versions].sort()).toEqual([
        'kaito.sh/v1alpha1',
        'kaito.sh/v1beta1',
      ]);
    });
  },
);
