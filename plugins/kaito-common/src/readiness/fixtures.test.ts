import { workspaceReadiness } from '.';
import { READINESS_FIXTURES, type ReadinessFixture } from './fixtures';

/*
 * One expected verdict per fixture. Each fixture is a Workspace status (and
 * the NodeClaims, pods, events and container log beside it) as one KAITO
 * release writes it; see fixtures/<release>.ts for the upstream file and tag.
 */

const PROGRESS = [
  'Pending',
  'ProvisioningNodes',
  'DownloadingWeights',
  'StartingInference',
  'TuningRunning',
];

function verdict(f: ReadinessFixture, withVersion: boolean) {
  return workspaceReadiness(f.workspace, {
    now: Date.parse(f.now),
    pods: f.pods,
    nodeClaims: f.nodeClaims,
    events: f.events,
    containerLog: f.containerLog,
    ...(withVersion
      ? {
          cluster: {
            controllerImage: `mcr.microsoft.com/aks/kaito/workspace:${f.release}`,
          },
        }
      : {}),
  });
}

type Verdict = ReturnType<typeof verdict>;
type Expected = ReadinessFixture['expect'];

/** The fix as compared: its text when the fixture names one, else whether a terminal failure has one. */
function fixSeen(r: Verdict, e: Expected) {
  if (e.fix) return r.fix;
  if (e.outcome === 'terminal') return r.fix !== undefined;
  return 'not checked';
}

function fixWanted(e: Expected) {
  if (e.fix) return expect.stringMatching(e.fix);
  if (e.outcome === 'terminal') return true;
  return 'not checked';
}

function messageWanted(e: Expected) {
  if (e.kaitoMessage) return expect.stringContaining(e.kaitoMessage);
  return 'not checked';
}

describe.each([
  ['known from the controller image', true],
  ['unknown (careful reading)', false],
])('readiness fixtures, KAITO version %s', (_label, withVersion) => {
  it.each(READINESS_FIXTURES.map(f => [`${f.release} ${f.stage}`, f] as const))(
    '%s',
    (_id, f) => {
      const r = verdict(f, withVersion);
      const e = f.expect;
      const failed = r.phase === 'Failed' || r.phase === 'Degraded';
      expect({
        phase: r.phase,
        outcome: r.outcome,
        reason: r.reason,
        cause: e.cause ? r.cause : r.cause !== undefined,
        kaitoMessage: e.kaitoMessage ? r.kaitoMessage?.text : 'not checked',
        fix: fixSeen(r, e),
        attempts: r.attempts,
        slow: e.slow === undefined ? 'not checked' : r.timing?.slow,
        messageCapped: (r.kaitoMessage?.text ?? '').length <= 257,
        careful: r.kaitoVersion?.careful,
        version: withVersion ? r.kaitoVersion?.version : 'not checked',
        // Progress is never failure, failure never progress.
        progressIsProgress: PROGRESS.includes(r.phase)
          ? ['progress', 'retrying'].includes(r.outcome!)
          : true,
        failureIsFailure: failed
          ? ['terminal', 'retrying'].includes(r.outcome!)
          : r.outcome !== 'terminal',
      }).toEqual({
        phase: e.phase,
        outcome: e.outcome,
        reason: expect.stringMatching(e.reason),
        // A failure names its cause; progress and ready name none.
        cause: e.cause ?? !['progress', 'ready'].includes(e.outcome),
        kaitoMessage: messageWanted(e),
        // Terminal failures say what to do.
        fix: fixWanted(e),
        attempts: e.attempts,
        slow: e.slow === undefined ? 'not checked' : e.slow,
        messageCapped: true,
        careful: !withVersion,
        version: withVersion ? f.release : 'not checked',
        progressIsProgress: true,
        failureIsFailure: true,
      });
    },
  );
});

describe('readiness fixtures: coverage', () => {
  const stages = (release: string) =>
    new Set(
      READINESS_FIXTURES.filter(f => f.release === release).map(f => f.stage),
    );

  it('every release has the inference and tuning stages it can write', () => {
    const common = [
      'created',
      'provisioning',
      'launchFailedQuota',
      'launchFailedTransient',
      'startingWeights',
      'startingProbe',
      'ready',
      'regressed',
      'firstCrash',
      'crashLoop',
      'oom',
      'imagePull',
      'gatedNoSecret',
      'deleting',
      'tuningRunning',
      'tuningImagePull',
      'tuningFailed',
      'tuningSucceeded',
    ];
    for (const release of ['0.4.6', '0.8.0', '0.10.0', '0.11.0', '0.12.0']) {
      expect([...stages(release)]).toEqual(expect.arrayContaining(common));
    }
    for (const release of ['0.10.0', '0.11.0', '0.12.0']) {
      expect([...stages(release)]).toEqual(
        expect.arrayContaining([
          'benchmarkRunning',
          'benchmarkFailed',
          'benchmarkOff',
          'tuningPending',
          'nodePluginsPending',
        ]),
      );
    }
    for (const release of ['0.11.0', '0.12.0']) {
      expect([...stages(release)]).toEqual(
        expect.arrayContaining(['mirrorDownloading', 'mirrorFailed']),
      );
    }
  });

  it('every fixture names its upstream source and tag', () => {
    for (const f of READINESS_FIXTURES) {
      expect(f.derivedFrom).toMatch(
        new RegExp(
          `kaito-project/kaito@v${f.release.replace(/\./g, '\\.')} \\S+\\.go`,
        ),
      );
    }
  });
});
