import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';

export interface TerraformRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the terraform CLI (no network: no providers are involved). */
export function terraform(cwd: string, args: string[]): Promise<TerraformRun> {
  return new Promise(resolve => {
    execFile(
      'terraform',
      args,
      {
        cwd,
        timeout: 120_000,
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) {
          const exit = (error as { code?: unknown }).code;
          code = typeof exit === 'number' ? exit : 1;
        }
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Whether `terraform` is on PATH. */
export async function terraformAvailable(): Promise<boolean> {
  const run = await terraform(os.tmpdir(), ['version']).catch(() => undefined);
  return run?.code === 0;
}

/** An error diagnostic from `terraform plan -json`. */
export interface Diagnostic {
  summary: string;
  detail: string;
  /** e.g. `module "bad_sku"`. */
  context?: string;
  /** e.g. `var.instance_type`. */
  traversal?: string;
}

/** The error diagnostics in `-json` output. */
export function errorDiagnostics(stdout: string): Diagnostic[] {
  return stdout
    .split('\n')
    .filter(l => l.startsWith('{'))
    .map(l => JSON.parse(l))
    .filter(m => m.type === 'diagnostic' && m.diagnostic?.severity === 'error')
    .map(m => ({
      summary: m.diagnostic.summary,
      detail: m.diagnostic.detail,
      context: m.diagnostic.snippet?.context,
      traversal: m.diagnostic.snippet?.values?.[0]?.traversal,
    }));
}

/**
 * A scratch Terraform root: copies the given files of terraform/ into module folders and writes
 * a JSON root (`main.tf.json`) that calls them.
 */
export async function scratchRoot(
  terraformDir: string,
  modules: Record<string, string[]>,
  root: object,
): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tf-eval-'));
  for (const [name, files] of Object.entries(modules)) {
    await fs.mkdir(path.join(dir, name));
    for (const f of files) {
      await fs.copyFile(
        path.join(terraformDir, f),
        path.join(dir, name, path.basename(f)),
      );
    }
  }
  await fs.writeFile(
    path.join(dir, 'main.tf.json'),
    JSON.stringify(root, null, 2),
  );
  return { dir, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}
