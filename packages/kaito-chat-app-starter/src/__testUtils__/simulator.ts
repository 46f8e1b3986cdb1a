import { startSimulator } from '@kaito-backstage/kaito-simulator';

type Simulator = Awaited<ReturnType<typeof startSimulator>>;

/** A Workspace the simulator serves once its (simulated) GPU node and weights are ready. */
export function workspace(name: string, namespace = 'default') {
  return {
    apiVersion: 'kaito.sh/v1beta1',
    kind: 'Workspace',
    metadata: { name, namespace },
    resource: {
      instanceType: 'Standard_NC24ads_A100_v4',
      labelSelector: { matchLabels: { apps: name } },
    },
    inference: { preset: { name: 'phi-4-mini-instruct' } },
  };
}

function inferenceReady(ws: any): boolean {
  return Boolean(
    ws?.status?.conditions?.some(
      (c: any) => c.type === 'InferenceReady' && c.status === 'True',
    ),
  );
}

/**
 * Waits for InferenceReady=True by watching the Workspace through the Kubernetes API
 * (events, not polling). Rejects when the watch ends first.
 */
export async function waitForInferenceReady(
  sim: Simulator,
  namespace: string,
  name: string,
): Promise<void> {
  const res = await fetch(
    `${sim.url}/apis/kaito.sh/v1beta1/namespaces/${namespace}/workspaces?watch=1&fieldSelector=metadata.name%3D${name}`,
    { headers: { authorization: `Bearer ${sim.token}` } },
  );
  if (!res.ok || !res.body)
    throw new Error(`watch of ${namespace}/${name} failed: ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done)
        throw new Error(
          `watch of ${namespace}/${name} ended before it was ready`,
        );
      buffer += decoder.decode(value, { stream: true });
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() && inferenceReady(JSON.parse(line).object)) return;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Reads the app's SSE answer into its events. */
export async function readEvents(
  res: Response,
): Promise<Array<{ event: string; data: any }>> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter(Boolean)
    .map(frame => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
      const data = frame
        .split('\n')
        .filter(l => l.startsWith('data: '))
        .map(l => l.slice(6))
        .join('\n');
      return { event, data: JSON.parse(data) };
    });
}
