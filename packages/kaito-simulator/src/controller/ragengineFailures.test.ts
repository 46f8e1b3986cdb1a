import * as k8s from '@kubernetes/client-node';
import { kube } from '../__testUtils__/http';
import {
  ragCondition,
  ragEngine,
  waitForRagCondition,
  useRagController,
} from '../__testUtils__/ragengine';

/** RAGEngine failure paths through the real @kubernetes/client-node: KAITO's failure conditions, including its other service condition type. */
describe('simulated RAGEngine controller: failures', () => {
  const t = useRagController({ 'default/rag-quota': 'quotaExceeded' });
  const { create } = t;

  it('shows the service failure with the other condition type when the RAG image cannot be pulled', async () => {
    await create(
      ragEngine('rag-pull', 'default', {
        workspace: 'phi',
        fault: 'imagePullError',
      }),
    );
    const failed = await waitForRagCondition(
      t.kc,
      'default',
      'rag-pull',
      'RAGEngineSucceeded',
      'False',
      'ragengineFailed',
    );
    const svc = ragCondition(failed, 'RAGEngineServiceReady');
    expect(svc).toMatchObject({
      status: 'False',
      reason: 'RAGEngineServiceStatusFailed',
    });
    expect(svc.message).toMatch(
      /^deployment rag-pull is not progressing: ReplicaSet "rag-pull-[a-z]+" has timed out progressing\.$/,
    );
    expect(ragCondition(failed, 'ServiceReady')).toBeUndefined();
    expect(ragCondition(failed, 'RAGEngineSucceeded').message).toBe(
      svc.message,
    );
    const pods = await t.kc.makeApiClient(k8s.CoreV1Api).listNamespacedPod({
      namespace: 'default',
      labelSelector: 'kaito.sh/ragengine=rag-pull',
    });
    expect(
      pods.items[0].status?.containerStatuses?.[0].state?.waiting?.reason,
    ).toBe('ImagePullBackOff');
    const proxied = await kube(
      t.sim,
      'GET',
      '/api/v1/namespaces/default/services/rag-pull:http/proxy/health',
    );
    expect(proxied.status).toBe(503);
  });

  it('fails on quota: the NodeClaim cannot launch and the NodeClaim check times out', async () => {
    await create(
      ragEngine('rag-quota', 'default', {
        workspace: 'phi',
        instanceType: 'Standard_NC24ads_A100_v4',
      }),
    );
    const failed = await waitForRagCondition(
      t.kc,
      'default',
      'rag-quota',
      'RAGEngineSucceeded',
      'False',
    );
    expect(
      failed.status.conditions.map((c: any) => [c.type, c.status, c.reason]),
    ).toEqual([
      ['NodeClaimReady', 'False', 'checkNodeClaimStatusFailed'],
      ['ResourceReady', 'False', 'ragengineResourceStatusFailed'],
      ['RAGEngineSucceeded', 'False', 'ragengineFailed'],
    ]);
    expect(ragCondition(failed, 'ResourceReady').message).toMatch(
      /^check nodeClaim status timed out\. nodeClaim rag\w+ is not ready$/,
    );
    const claims: any = await t.custom.listClusterCustomObject({
      group: 'karpenter.sh',
      version: 'v1',
      plural: 'nodeclaims',
      labelSelector: 'kaito.sh/ragengine=rag-quota',
    });
    const launched = claims.items[0].status.conditions.find(
      (c: any) => c.type === 'Launched',
    );
    expect(launched).toMatchObject({
      status: 'Unknown',
      reason: 'LaunchFailed',
    });
    expect(launched.message).toMatch(
      /exceeding approved StandardNCADSA100v4Family Cores quota/,
    );
  });

  it('crash-loops with the embedding download error in the container log', async () => {
    await create(
      ragEngine('rag-crash', 'default', {
        workspace: 'phi',
        fault: 'crashLoop',
      }),
    );
    const failed = await waitForRagCondition(
      t.kc,
      'default',
      'rag-crash',
      'RAGEngineSucceeded',
      'False',
      'ragengineFailed',
    );
    expect(ragCondition(failed, 'RAGEngineServiceReady')).toMatchObject({
      status: 'False',
      reason: 'RAGEngineServiceStatusFailed',
    });
    const core = t.kc.makeApiClient(k8s.CoreV1Api);
    const pods = await core.listNamespacedPod({
      namespace: 'default',
      labelSelector: 'kaito.sh/ragengine=rag-crash',
    });
    const status = pods.items[0].status?.containerStatuses?.[0];
    expect(status?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(status?.restartCount).toBe(3);
    expect(status?.lastState?.terminated?.exitCode).toBe(1);
    const log = await kube(
      t.sim,
      'GET',
      `/api/v1/namespaces/default/pods/${pods.items[0].metadata?.name}/log`,
    );
    expect(log.text).toMatch(
      /^OSError: We couldn't connect to 'https:\/\/huggingface\.co'.*BAAI\/bge-small-en-v1\.5/m,
    );
  });
});
