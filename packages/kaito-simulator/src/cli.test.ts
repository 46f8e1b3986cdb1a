import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

/** The start command, run the way `yarn workspace @kaito-backstage/kaito-simulator start` runs it. */

const packageDir = path.resolve(__dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function startCli(env: Record<string, string>): {
  child: ChildProcess;
  output: Promise<{ stdout: string; stderr: string; code: number | null }>;
  firstLine: Promise<string>;
} {
  const child = spawn(
    process.execPath,
    ['--require', '@backstage/cli/config/nodeTransform.cjs', 'src/cli.ts'],
    {
      cwd: packageDir,
      env: { ...process.env, ...env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const firstLine = new Promise<string>(resolve => {
    const onData = () => {
      const text = stdout || stderr;
      if (text.includes('\n')) resolve(text.split('\n')[0]);
    };
    child.stdout!.on('data', d => {
      stdout += d;
      onData();
    });
    child.stderr!.on('data', d => {
      stderr += d;
      onData();
    });
  });
  const output = new Promise<{
    stdout: string;
    stderr: string;
    code: number | null;
  }>(resolve => child.on('exit', code => resolve({ stdout, stderr, code })));
  return { child, output, firstLine };
}

describe('kaito-simulator start command', () => {
  let first: ReturnType<typeof startCli> | undefined;
  afterAll(async () => {
    if (first && first.child.exitCode === null) {
      first.child.kill('SIGTERM');
      await first.output;
    }
  });

  it('listens on the fixed port with the fixed token, seeds phi-4-mini, and refuses a taken port', async () => {
    const port = await freePort();
    first = startCli({ KAITO_SIMULATOR_PORT: String(port) });
    expect(await first.firstLine).toBe(
      `kaito-simulator listening on http://127.0.0.1:${port}`,
    );

    const res = await fetch(
      `http://127.0.0.1:${port}/apis/kaito.sh/v1beta1/namespaces/kaito-demo/workspaces/phi-4-mini`,
      {
        headers: { authorization: 'Bearer kaito-simulator-dev-token' },
      },
    );
    expect(res.status).toBe(200);
    const ws = await res.json();
    expect(ws.inference.preset.name).toBe('phi-4-mini-instruct');
    expect(ws.resource.instanceType).toBe('Standard_NC24ads_A100_v4');
    // Demo speed: seconds, not milliseconds.
    expect(ws.status?.state).toBe('Pending');

    const second = startCli({ KAITO_SIMULATOR_PORT: String(port) });
    const result = await second.output;
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `kaito-simulator: port ${port} is already in use; stop whatever holds it or set KAITO_SIMULATOR_PORT to a free port`,
    ]);

    first.child.kill('SIGTERM');
    expect((await first.output).code).toBe(0);
  }, 60_000);

  it('rejects a malformed port setting in one line', async () => {
    const run = startCli({ KAITO_SIMULATOR_PORT: 'seventy' });
    const result = await run.output;
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'kaito-simulator: KAITO_SIMULATOR_PORT must be a port number between 1 and 65535, got "seventy"',
    );
  }, 60_000);

  it('imitates the KAITO release KAITO_SIMULATOR_CONTROLLER_VERSION names, and refuses a malformed one', async () => {
    const bad = await startCli({
      KAITO_SIMULATOR_PORT: String(await freePort()),
      KAITO_SIMULATOR_CONTROLLER_VERSION: 'latest',
    }).output;
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(
      'kaito-simulator: KAITO_SIMULATOR_CONTROLLER_VERSION must be a KAITO release like 0.12.0 or v0.8, got "latest"',
    );
    const port = await freePort();
    const run = startCli({
      KAITO_SIMULATOR_PORT: String(port),
      KAITO_SIMULATOR_CONTROLLER_VERSION: '0.8.0',
    });
    try {
      await run.firstLine;
      const url = `http://127.0.0.1:${port}/apis/kaito.sh/v1beta1/namespaces/kaito-demo/workspaces/phi-4-mini`;
      const headers = { authorization: 'Bearer kaito-simulator-dev-token' };
      // v0.8 writes conditions but never status.state (v0.9+); poll until the first sync.
      let ws: any;
      for (;;) {
        ws = await (await fetch(url, { headers })).json();
        if ((ws.status?.conditions ?? []).length > 0) break;
        await new Promise(r => setTimeout(r, 250));
      }
      expect(ws.status.state).toBeUndefined();
    } finally {
      run.child.kill('SIGTERM');
      await run.output;
    }
  }, 60_000);

  it('starts empty with KAITO_SIMULATOR_SEED=none, and refuses another value', async () => {
    const bad = await startCli({
      KAITO_SIMULATOR_PORT: String(await freePort()),
      KAITO_SIMULATOR_SEED: 'lots',
    }).output;
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(
      'kaito-simulator: KAITO_SIMULATOR_SEED must be demo or none, got "lots"',
    );
    const port = await freePort();
    const run = startCli({
      KAITO_SIMULATOR_PORT: String(port),
      KAITO_SIMULATOR_SEED: 'none',
    });
    try {
      await run.firstLine;
      const res = await fetch(
        `http://127.0.0.1:${port}/apis/kaito.sh/v1beta1/workspaces`,
        { headers: { authorization: 'Bearer kaito-simulator-dev-token' } },
      );
      expect((await res.json()).items).toEqual([]);
    } finally {
      run.child.kill('SIGTERM');
      await run.output;
    }
  }, 60_000);

  it('scripts faults from KAITO_SIMULATOR_FAULTS and refuses a malformed or unknown one', async () => {
    const bad = await startCli({
      KAITO_SIMULATOR_PORT: String(await freePort()),
      KAITO_SIMULATOR_FAULTS: '{default/x: quota}',
    }).output;
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toContain(
      'KAITO_SIMULATOR_FAULTS must be a JSON object',
    );
    const unknown = await startCli({
      KAITO_SIMULATOR_PORT: String(await freePort()),
      KAITO_SIMULATOR_FAULTS: '{"default/x": "meltdown"}',
    }).output;
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toContain('unknown fault "meltdown"');

    const port = await freePort();
    const run = startCli({
      KAITO_SIMULATOR_PORT: String(port),
      KAITO_SIMULATOR_FAULTS: '{"kaito-demo/short": "quotaExceeded"}',
    });
    try {
      await run.firstLine;
      const base = `http://127.0.0.1:${port}/apis/kaito.sh/v1beta1/namespaces/kaito-demo/workspaces`;
      const headers = {
        authorization: 'Bearer kaito-simulator-dev-token',
        'content-type': 'application/json',
      };
      const created = await fetch(base, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          apiVersion: 'kaito.sh/v1beta1',
          kind: 'Workspace',
          metadata: { name: 'short', namespace: 'kaito-demo' },
          resource: {
            instanceType: 'Standard_NC24ads_A100_v4',
            labelSelector: { matchLabels: { apps: 'short' } },
          },
          inference: { preset: { name: 'phi-4-mini-instruct' } },
        }),
      });
      expect(created.status).toBe(201);
      // Demo speed: the node launch fails after a few seconds; poll, no wall-clock bound but Jest's.
      for (;;) {
        const ws = await (await fetch(`${base}/short`, { headers })).json();
        const messages = (ws.status?.conditions ?? [])
          .map((c: { message?: string }) => c.message ?? '')
          .join(' ');
        if (messages.includes('Cores quota')) break;
        await new Promise(r => setTimeout(r, 250));
      }
    } finally {
      run.child.kill('SIGTERM');
      await run.output;
    }
  }, 60_000);
});
