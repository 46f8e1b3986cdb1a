import { promises as fs } from 'fs';
import path from 'path';
import {
  isPackageOnly,
  PACKAGE_DIR,
  SHARED_FILES,
  SKELETON_DIR,
} from './skeleton';

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

describe('template skeleton vs. this package', () => {
  it('carries every shared file byte for byte (run `yarn workspace @kaito-backstage/kaito-chat-app-starter sync-skeleton` after editing)', async () => {
    const drift: string[] = [];
    for (const file of SHARED_FILES) {
      const ours = await fs.readFile(path.join(PACKAGE_DIR, file), 'utf8');
      const theirs = await fs
        .readFile(path.join(SKELETON_DIR, file), 'utf8')
        .catch(() => '<missing>');
      if (ours !== theirs) drift.push(file);
    }
    expect(drift).toEqual([]);
  });

  it('shares every app source file of the package, and the skeleton has no stray source', async () => {
    const packageSources = (await listFiles(path.join(PACKAGE_DIR, 'src')))
      .map(f => `src/${f}`)
      .filter(f => !isPackageOnly(f));
    expect(packageSources.sort()).toEqual(
      SHARED_FILES.filter(f => f.startsWith('src/')).sort(),
    );
    const skeletonSources = (
      await listFiles(path.join(SKELETON_DIR, 'src'))
    ).map(f => `src/${f}`);
    expect(skeletonSources.sort()).toEqual(
      SHARED_FILES.filter(f => f.startsWith('src/')).sort(),
    );
  });

  it('keeps nunjucks syntax out of the shared files (they are copied without templating)', async () => {
    for (const file of SHARED_FILES) {
      const text = await fs.readFile(path.join(PACKAGE_DIR, file), 'utf8');
      expect(`${file}: ${/\$\{\{|\{%|\{#/.test(text)}`).toBe(`${file}: false`);
    }
  });
});
