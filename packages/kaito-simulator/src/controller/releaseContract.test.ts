import {
  workspaceReadiness,
  type KubeCondition,
} from '@kaito-backstage/plugin-kaito-common';
import {
  READINESS_FIXTURES,
  type ReadinessFixture,
} from '@kaito-backstage/plugin-kaito-common/testing';
import { RunningSimulator, startSimulator } from '../simulator';
import { kube, waitFor, WS_PATH } from '../__testUtils__/http';
import type { SimulatorTimings } from './timings';

/*
 * Contract: for each fault and KAITO release, the status the simulator
 * writes matches the upstream-derived fixture for that release
 * (plugins/kaito-common/src/readiness/fixtures), and readiness reads the
 * simulator's objects to the fixture's verdict. Both sides are checked
 * against the same table, not against each other.
 */

type Obj = Record<string, any>;

const SLOW = 60_000;

/** Timings that hold the run at the fixture's stage long enough to read it. */
function timingsFor(f: ReadinessFixture): Partial<SimulatorTimings> {
  const t: Partial<SimulatorTimings> = { crashBackoffMs: SLOW };
  if (f.stage === 'provisioning') t.nodeLaunchMs = SLOW;
  if (f.stage === 'startingWeights') t.weightsDownloadMs = SLOW;
  if (f.stage === 'oom') t.inferenceStartMs = SLOW; // ≤ 0.8 would later report a flickering Ready
  if (f.stage === 'tuningRunning') t.tuningRunMs = SLOW;
  return t;
}

/** Reads in write order (NodeClaims, pods, then the Workspace) so the status is never older than the pod. */
async function objects(sim: RunningSimulator, name: string) {
  const sel = `labelSelector=kaito.sh/workspace=${name}`;
  const claims = (
    await kube(sim, 'GET', `/apis/karpenter.sh/v1/nodeclaims?${sel}`)
  ).json.items as Obj[];
  const pods = (
    await kube(sim, 'GET', `/api/v1/namespaces/default/pods?${sel}`)
  ).json.items as Obj[];
  const ws = (await kube(sim, 'GET', WS_PATH('default', name))).json as Obj;
  return { ws, pods, claims };
}

const cond = (ws: Obj, type: string): KubeCondition | undefined =>
  (ws?.status?.conditions ?? []).find((c: KubeCondition) => c.type === type);
const main = (pods: Obj[]) => pods[0]?.status?.containerStatuses?.[0];

/** When the simulator has reached the fixture's stage. */
function reached(
  f: ReadinessFixture,
  o: Awaited<ReturnType<typeof objects>>,
): boolean {
  const c = main(o.pods);
  switch (f.stage) {
    case 'provisioning':
      return o.claims.length > 0 && (o.ws.status?.conditions ?? []).length > 0;
    case 'launchFailedQuota':
      return o.claims[0]?.status?.conditions?.some(
        (x: Obj) => x.reason === 'LaunchFailed',
      );
    case 'startingWeights':
      return !!c?.state?.running;
    case 'ready':
      return cond(o.ws, 'WorkspaceSucceeded')?.status === 'True';
    case 'benchmarkFailed':
      return cond(o.ws, 'BenchmarkCompleted')?.status === 'False';
    case 'oom':
    case 'crashLoop':
      return (c?.restartCount ?? 0) >= 1;
    case 'imagePull':
    case 'tuningImagePull':
      return (
        c?.state?.waiting?.reason === 'ImagePullBackOff' &&
        (f.release < '0.9' ||
          f.stage !== 'tuningImagePull' ||
          o.ws.status?.state === 'Running')
      );
    case 'gatedNoSecret':
      return (
        (c?.restartCount ?? 0) >= 1 ||
        c?.state?.waiting?.reason === 'CreateContainerConfigError'
      );
    case 'tuningRunning':
      return c?.ready === true;
    case 'tuningFailed':
      return o.pods[0]?.status?.phase === 'Failed';
    case 'tuningSucceeded':
      return cond(o.ws, 'WorkspaceSucceeded')?.status === 'True';
    default:
      throw new Error(`no stage predicate for ${f.stage}`);
  }
}

/** Condition shape and KAITO's message, with quoted names, numbers in quota text and URLs normalised. */
function shape(conditions: KubeCondition[] = []) {
  const norm = (m = '') =>
    /exceeding approved/.test(m)
      ? m.replace(/ Location:[\s\S]*$/, ' Location: …')
      : m.replace(/"[^"]*"/g, '"…"');
  return conditions
    .map(c => `${c.type}=${c.status}/${c.reason}: ${norm(c.message)}`)
    .sort();
}

function containerShape(cs: Obj | undefined) {
  if (!cs) return undefined;
  const state = Object.keys(cs.state ?? {})[0];
  return {
    state,
    waiting: cs.state?.waiting?.reason,
    last: cs.lastState?.terminated?.reason,
    restarting: (cs.restartCount ?? 0) > 0,
  };
}

const CASES = READINESS_FIXTURES.filter(f => f.simulatorFault).map(
  f => [`${f.release} ${f.stage} (${f.simulatorFault})`, f] as const,
);

describe('simulator writes status as each KAITO release does', () => {
  it.each(CASES)('%s', async (_id, f) => {
    const sim = await startSimulator({
      log: () => {},
      controllerVersion: f.release,
      timings: timingsFor(f),
    });
    try {
      const spec = { ...f.workspace } as Obj;
      delete spec.status;
      spec.metadata = {
        name: spec.metadata.name,
        namespace: spec.metadata.namespace,
        annotations: {
          ...spec.metadata.annotations,
          ...(f.simulatorFault !== 'none'
            ? { 'kaito.simulator/fault': f.simulatorFault }
            : {}),
        },
      };
      const created = await kube(sim, 'POST', WS_PATH('default'), spec);
      expect(created.status).toBe(201);
      const o = await waitFor(async () => {
        const x = await objects(sim, spec.metadata.name);
        return reached(f, x) ? x : undefined;
      }, `${f.stage} on ${f.release}`);
      const fixtureStatus = f.workspace.status as Obj;

      expect(shape(o.ws.status.conditions)).toEqual(
        shape(fixtureStatus.conditions),
      );
      expect(o.ws.status.state).toBe(fixtureStatus.state);
      const launched = (x: Obj | undefined) => {
        const c = x?.status?.conditions?.find(
          (y: Obj) => y.type === 'Launched',
        );
        return c && { status: c.status, reason: c.reason };
      };
      // NodeClaim and main container, where the fixture has them.
      expect({
        claim: f.nodeClaims?.length ? launched(o.claims[0]) : 'no fixture',
        container: f.pods?.length ? containerShape(main(o.pods)) : 'no fixture',
      }).toEqual({
        claim: f.nodeClaims?.length
          ? launched(f.nodeClaims[0] as Obj)
          : 'no fixture',
        container: f.pods?.length
          ? containerShape(main(f.pods as Obj[]))
          : 'no fixture',
      });

      // Readiness reads the simulator's objects to the fixture's verdict.
      const logText = f.containerLog
        ? (
            await kube(
              sim,
              'GET',
              `/api/v1/namespaces/default/pods/${o.pods[0].metadata.name}/log?container=${spec.metadata.name}&tailLines=50`,
            )
          ).text
        : undefined;
      const r = workspaceReadiness(o.ws, {
        pods: o.pods as any,
        nodeClaims: o.claims as any,
        cluster: { version: f.release },
        ...(logText !== undefined
          ? {
              containerLog: {
                pod: o.pods[0].metadata.name,
                container: spec.metadata.name,
                text: logText,
              },
            }
          : {}),
      });
      // The simulator's crash loop is read after its first restart: that is the first-crash row.
      const early =
        f.stage === 'crashLoop' && (main(o.pods)?.restartCount ?? 0) < 3;
      const expected = early
        ? READINESS_FIXTURES.find(
            x => x.release === f.release && x.stage === 'firstCrash',
          )!.expect
        : f.expect;
      expect({ phase: r.phase, outcome: r.outcome, cause: r.cause }).toEqual({
        phase: expected.phase,
        outcome: expected.outcome,
        cause: expected.cause,
      });
    } finally {
      await sim.stop();
    }
  });

  it('covers every scripted fault on every release', () => {
    const faults = new Set(CASES.map(([, f]) => f.simulatorFault));
    expect([...faults].sort()).toEqual(
      [
        'benchmarkFailed',
        'crashLoop',
        'gatedModelWithoutToken',
        'imagePullError',
        'none',
        'oomKilled',
        'quotaExceeded',
      ].sort(),
    );
    expect(new Set(CASES.map(([, f]) => f.release)).size).toBe(5);
  });
});
