import { READINESS_FIXTURES } from './fixtures';
import { workspaceReadiness } from './index';
import { workspaceServes } from './serves';

describe('workspaceServes', () => {
  const verdict = (release: string, stage: string) => {
    const f = READINESS_FIXTURES.find(
      x => x.release === release && x.stage === stage,
    );
    if (!f) throw new Error(`no fixture ${release} ${stage}`);
    return workspaceReadiness(f.workspace, {
      pods: f.pods,
      nodeClaims: f.nodeClaims,
      now: f.now ? new Date(f.now) : undefined,
      cluster: { version: release },
    });
  };

  it('serves when Ready, and when only the post-load benchmark failed (the model answers)', () => {
    expect(workspaceServes(verdict('0.12.0', 'ready'))).toBe(true);
    const bench = verdict('0.12.0', 'benchmarkFailed');
    expect(bench).toMatchObject({ phase: 'Degraded', cause: 'benchmark' });
    expect(bench.reason).toMatch(/chat works meanwhile/);
    expect(workspaceServes(bench)).toBe(true);
  });

  it('does not serve any other Degraded, a failure or progress', () => {
    expect(workspaceServes({ phase: 'Degraded', cause: 'crashLoop' })).toBe(
      false,
    );
    expect(workspaceServes({ phase: 'Degraded' })).toBe(false);
    expect(workspaceServes({ phase: 'Failed', cause: 'benchmark' })).toBe(
      false,
    );
    expect(workspaceServes(verdict('0.12.0', 'launchFailedQuota'))).toBe(false);
    expect(workspaceServes(verdict('0.12.0', 'startingWeights'))).toBe(false);
    expect(workspaceServes(verdict('0.12.0', 'regressed'))).toBe(false);
    expect(workspaceServes(undefined)).toBe(false);
  });
});
