import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const children = new Set<ChildProcess>();

/**
 * Runs a bench TypeScript file in its own Node process (so the backend, the
 * simulator and the load generator do not share an event loop) and resolves
 * with the first JSON line it prints.
 */
export async function startChild<T>(
  script: string,
  env: Record<string, string> = {},
): Promise<{ info: T; pid: number; stop(): void }> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      resolve(__dirname, '..', script),
    ],
    { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  children.add(child);
  const lines = createInterface(child.stdout!);
  const info = await new Promise<T>((ok, fail) => {
    child.once('exit', code =>
      fail(new Error(`${script} exited early with code ${code}`)),
    );
    lines.on('line', line => {
      if (line.startsWith('{')) ok(JSON.parse(line));
      else process.stderr.write(`[${script}] ${line}\n`);
    });
  });
  return {
    info,
    pid: child.pid!,
    stop() {
      child.kill('SIGTERM');
      children.delete(child);
    },
  };
}

/** Resident set size of a process, in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

export function stopAllChildren() {
  for (const c of children) c.kill('SIGTERM');
  children.clear();
}

process.on('exit', stopAllChildren);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    stopAllChildren();
    process.exit(130);
  });
}

/** Exits when the parent closes our stdin, so no child outlives a bench. */
export function exitWithParent(cleanup: () => Promise<void> | void) {
  const done = async () => {
    await cleanup();
    process.exit(0);
  };
  process.stdin.on('end', done).on('close', done).resume();
  process.on('SIGTERM', done);
}
