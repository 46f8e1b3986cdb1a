import { conditionSignals, newest, readConditions } from './conditions';
import { C, cond } from './fixtures';

const NOT_PROGRESSING =
  'deployment rag is not progressing: ReplicaSet "rag-1" has timed out progressing.';

describe('the ServiceReady / RAGEngineServiceReady pair', () => {
  it.each([
    // [case, conditions, the type that must hold]
    ['only the success', [C.serviceReady(10)], 'ServiceReady'],
    ['only the failure', [C.serviceFailed('x', 10)], 'RAGEngineServiceReady'],
    [
      'higher observedGeneration beats a later time',
      [C.serviceReady(900, 1), C.serviceFailed(NOT_PROGRESSING, 600, 2)],
      'RAGEngineServiceReady',
    ],
    [
      'higher observedGeneration of the success',
      [C.serviceFailed(NOT_PROGRESSING, 900, 1), C.serviceReady(600, 2)],
      'ServiceReady',
    ],
    [
      'the summary agrees with the failure, despite its older time',
      [
        C.serviceFailed(NOT_PROGRESSING, 100),
        C.serviceReady(200),
        C.failed(NOT_PROGRESSING, 300),
      ],
      'RAGEngineServiceReady',
    ],
    [
      'the summary agrees with the success, despite its older time',
      [
        C.serviceReady(100),
        C.serviceFailed(NOT_PROGRESSING, 200),
        C.succeeded(300),
      ],
      'ServiceReady',
    ],
    [
      'a summary about something else does not decide; the later time does',
      [
        C.serviceReady(100),
        C.serviceFailed(NOT_PROGRESSING, 200),
        C.failed('another error', 300),
      ],
      'RAGEngineServiceReady',
    ],
    [
      'later time wins without a summary',
      [C.serviceFailed(NOT_PROGRESSING, 100), C.serviceReady(200)],
      'ServiceReady',
    ],
    [
      'a tie goes to the failure',
      [C.serviceReady(100), C.serviceFailed(NOT_PROGRESSING, 100)],
      'RAGEngineServiceReady',
    ],
  ])('%s', (_case, conditions, holds) => {
    const rc = readConditions(conditions);
    expect(rc.service?.type).toBe(holds);
    const pair = conditions.filter(c => /Service/.test(c.type)).length === 2;
    expect(rc.staleService?.type).toBe(
      pair
        ? conditions.find(c => /Service/.test(c.type) && c.type !== holds)?.type
        : undefined,
    );
  });

  it('is symmetric in argument order', () => {
    const a = C.serviceReady(100);
    const b = C.serviceFailed(NOT_PROGRESSING, 100);
    expect(newest(a, b)).toBe(b);
    expect(newest(b, a)).toBe(b);
  });
});

describe('conditionSignals', () => {
  it('reads one error KAITO wrote to three conditions once, from the most specific', () => {
    const msg =
      'check nodeClaim status timed out. nodeClaim rag-x is not ready';
    const s = conditionSignals(
      readConditions([
        cond('NodeClaimReady', 'False', 'checkNodeClaimStatusFailed', msg, 10),
        C.resourceFailed(msg, 10),
        C.failed(msg, 10),
      ]),
      true,
    );
    expect(s).toEqual([
      expect.objectContaining({
        kind: 'provisioning',
        retrying: true,
        conditionType: 'NodeClaimReady',
        source: 'condition NodeClaimReady (checkNodeClaimStatusFailed)',
      }),
    ]);
  });

  it('recognises quota words in KAITO conditions (the Workspace recognisers)', () => {
    const quota =
      'Operation could not be completed as it results in exceeding approved standardNCASv3_T4Family Cores quota';
    for (const c of [
      cond('NodeClaimReady', 'False', 'nodeClaimFailedCreation', quota, 10),
      C.resourceFailed(quota, 10),
      C.failed(quota, 10),
    ])
      expect(conditionSignals(readConditions([c]), true)[0]).toMatchObject({
        kind: 'quota',
        retrying: false,
      });
  });

  it('never reads progress reasons as failures', () => {
    expect(
      conditionSignals(
        readConditions([
          C.nodeClaimPending,
          C.resourceReady(2),
          C.serviceReady(3),
          C.succeeded(3),
          C.deleting(4),
          cond('SomethingNew', 'Unknown', 'Progressing', 'working', 5),
          cond('SomethingNew2', 'False', 'NotYet', 'waiting', 5),
        ]),
        true,
      ),
    ).toEqual([]);
  });

  it('reads ragEngineFailed (ensureService) as the service, whatever its words', () => {
    const rc = readConditions([
      C.failed('etcdserver: leader changed', 10, 1, 'ragEngineFailed'),
    ]);
    expect(conditionSignals(rc, true)[0]).toMatchObject({
      kind: 'service',
      retrying: false,
    });
  });

  it('without compute, an unrecognised summary error is "other"; with compute, "resource"', () => {
    const rc = readConditions([C.failed('the thing broke', 10)]);
    expect(conditionSignals(rc, false)[0].kind).toBe('other');
    expect(conditionSignals(rc, true)[0].kind).toBe('resource');
  });
});
