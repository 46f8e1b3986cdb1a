import { startSimulator } from '@kaito-backstage/kaito-simulator';
import { workspaceManifest } from '../src/__testUtils__/entities';
import { exitWithParent } from './lib/children';

/** Bench child: a simulator with N Ready Workspaces `ws0..ws{N-1}`; prints its coordinates. */
async function main() {
  const count = Number(process.env.WORKSPACES ?? 1);
  const sim = await startSimulator({
    log: () => {},
    inference: {
      tokensPerSecond: Number(process.env.TOKENS_PER_SECOND ?? 0),
      maxConcurrency: 100_000,
    },
    watchHistory: 100_000,
    seed: Array.from({ length: count }, (_, i) => workspaceManifest(`ws${i}`)),
  });
  const headers = { authorization: `Bearer ${sim.token}` };
  for (;;) {
    const res = await fetch(`${sim.url}/apis/kaito.sh/v1beta1/workspaces`, {
      headers,
    });
    const list = (await res.json()) as {
      items: Array<{ status?: { state?: string } }>;
    };
    if (list.items.filter(w => w.status?.state === 'Ready').length === count)
      break;
    await new Promise(r => setTimeout(r, 20));
  }
  process.stdout.write(
    `${JSON.stringify({
      url: sim.url,
      token: sim.token,
      inferenceUrl: sim.inferenceUrl('default', 'ws0'),
      pid: process.pid,
    })}\n`,
  );
  exitWithParent(() => sim.stop());
}

main().catch(e => {
  process.stderr.write(`simServer failed: ${e}\n`);
  process.exit(1);
});
