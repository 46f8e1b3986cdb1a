import { workspaceReadiness } from './index';

describe("a crash loop's quoted words", () => {
  it('give the exit code with a bare reason ("Error, exit code 1"), as the kubelet records the last exit', () => {
    const r = workspaceReadiness(
      {
        apiVersion: 'kaito.sh/v1beta1',
        kind: 'Workspace',
        metadata: { name: 'ws', namespace: 'default' },
        resource: { instanceType: 'Standard_NC24ads_A100_v4' },
        inference: { preset: { name: 'phi-4-mini-instruct' } },
        status: {
          conditions: [
            {
              type: 'ResourceReady',
              status: 'True',
              reason: 'workspaceResourceStatusSuccess',
              message: 'workspace resource is ready',
              lastTransitionTime: '2026-01-01T00:01:00Z',
            },
          ],
        },
      },
      {
        cluster: { version: '0.8.0' },
        now: new Date('2026-01-01T00:10:00Z'),
        pods: [
          {
            metadata: { name: 'ws-0', labels: { 'kaito.sh/workspace': 'ws' } },
            status: {
              phase: 'Running',
              containerStatuses: [
                {
                  name: 'ws',
                  ready: false,
                  restartCount: 5,
                  state: {
                    waiting: {
                      reason: 'CrashLoopBackOff',
                      message: 'back-off 2m40s restarting failed container',
                    },
                  },
                  lastState: {
                    terminated: {
                      reason: 'Error',
                      exitCode: 1,
                      finishedAt: '2026-01-01T00:09:00Z',
                    },
                  },
                },
              ],
            },
          },
        ] as any,
      },
    );
    expect(r.kaitoMessage).toEqual({
      source: 'pod ws-0 container ws',
      text: 'Error, exit code 1',
      truncated: false,
    });
  });
});
