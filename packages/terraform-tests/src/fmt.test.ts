import { execFile } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';

// A cap for a loaded CI machine (tests wait on events, this only bounds a hang).
jest.setTimeout(60_000);

const run = promisify(execFile);
const TERRAFORM = path.resolve(__dirname, '../../../terraform');

async function terraformOnPath(): Promise<boolean> {
  try {
    await run('terraform', ['version'], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

async function fmtCheck(dir: string) {
  try {
    await run('terraform', ['fmt', '-check', '-recursive', '-diff', dir], {
      timeout: 60_000,
    });
    return { ok: true, output: '' };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('terraform fmt -check -recursive', () => {
  let available = false;

  beforeAll(async () => {
    available = await terraformOnPath();
    if (!available) {
      // eslint-disable-next-line no-console
      console.log('skipped: terraform not on PATH');
    }
  });

  it('passes on terraform/', async () => {
    if (!available) return;
    const result = await fmtCheck(TERRAFORM);
    expect(result.output).toBe('');
    expect(result.ok).toBe(true);
  });

  it('fails on a badly formatted file (the check can fail)', async () => {
    if (!available) return;
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tf-fmt-'));
    try {
      await fs.writeFile(
        path.join(dir, 'main.tf'),
        'variable "x" {\ntype=string\n    description = "x"\n}\n',
      );
      const result = await fmtCheck(dir);
      expect(result.ok).toBe(false);
      expect(result.output).toContain('main.tf');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
