import { workspaceReadiness } from './index';

// A Hugging Face token that reaches a readiness reason (from a condition, a
// container's termination message or an Event) must not survive in any
// recognisable piece: keeping its start or its end is as bad as keeping it.

const SECRET = 'Zq7XwV9pLk2MnB4tRy6UcJ8sGd';
const TOKEN = `hf_${SECRET}`;
const T0 = '2026-08-01T10:00:00Z';
const NOW = Date.parse('2026-08-01T10:20:00Z');

/** Every piece of the token's secret part `n` characters long. */
function pieces(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= SECRET.length; i++) out.push(SECRET.slice(i, i + n));
  return out;
}

function workspace(conditions: object[]) {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: {
      name: 'workspace-llama',
      namespace: 'default',
      creationTimestamp: T0,
    },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: 'llama' } },
    },
    inference: { preset: { name: 'meta-llama/Llama-3.1-8B-Instruct' } },
    status: { state: 'Pending', conditions },
  };
}

const cond = (type: string, status: string, reason: string, message = '') => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: T0,
});

const MESSAGES = [
  `401 Client Error: Invalid user token ${TOKEN} for url https://huggingface.co/api/models`,
  `GatedRepoError: token=${TOKEN}; Cannot access gated repo`,
  `Invalid credentials in Authorization header "Bearer ${TOKEN}"`,
];

describe('HF token redaction in readiness', () => {
  it('checks itself: every 5-character piece of the token is distinctive', () => {
    expect(pieces(5).length).toBeGreaterThan(15);
    expect(JSON.stringify(workspace([]))).not.toContain(SECRET.slice(0, 5));
  });

  const fromCondition = (message: string) =>
    workspaceReadiness(
      workspace([
        cond('ResourceReady', 'True', 'workspaceResourceStatusSuccess'),
        cond(
          'InferenceReady',
          'False',
          'ContainerCrashLoopBackOff',
          `back-off restarting; last termination: ${message}`,
        ),
        cond('WorkspaceSucceeded', 'False', 'workspacePending'),
      ]),
      { now: NOW },
    );

  it.each(MESSAGES)(
    'removes the whole token from what it says about a condition: %s',
    message => {
      const { conditions: _echo, ...verdict } = fromCondition(message);
      const text = JSON.stringify(verdict);
      // The reason is still explained…
      expect(verdict.phase).toBe('Failed');
      expect(text).toMatch(/gated|token/i);
      // …with no piece of the token left in it.
      for (const piece of pieces(5)) expect(text).not.toContain(piece);
    },
  );

  it.each(MESSAGES)(
    'removes the whole token from the echoed conditions too: %s',
    message => {
      const text = JSON.stringify(fromCondition(message));
      for (const piece of pieces(5)) expect(text).not.toContain(piece);
    },
  );

  it.each(MESSAGES)(
    'removes the whole token from a termination message and an Event: %s',
    message => {
      const pod = {
        metadata: {
          name: 'workspace-llama-0',
          namespace: 'default',
          labels: { 'kaito.sh/workspace': 'workspace-llama' },
        },
        status: {
          phase: 'Running',
          containerStatuses: [
            {
              name: 'workspace-llama',
              ready: false,
              restartCount: 7,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: {
                terminated: { reason: 'Error', exitCode: 1, message },
              },
            },
          ],
        },
      };
      const event = {
        metadata: { name: 'e1', namespace: 'default', uid: 'e1' },
        type: 'Warning',
        reason: 'BackOff',
        message,
        involvedObject: {
          kind: 'Pod',
          namespace: 'default',
          name: 'workspace-llama-0',
        },
        lastTimestamp: T0,
        count: 7,
      };
      const r = workspaceReadiness(
        workspace([
          cond('ResourceReady', 'True', 'workspaceResourceStatusSuccess'),
          cond('InferenceReady', 'False', 'workspacePending'),
          cond('WorkspaceSucceeded', 'False', 'workspacePending'),
        ]),
        { now: NOW, pods: [pod as any], events: [event as any] },
      );
      const text = JSON.stringify(r);
      expect(text).toMatch(/gated|token/i);
      for (const piece of pieces(5)) expect(text).not.toContain(piece);
    },
  );
});
