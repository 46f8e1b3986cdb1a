import { promises as fs } from 'fs';
import path from 'path';

/** The package folder (the reference copy). */
// Test and sync helper only, run from source; never bundled.
// eslint-disable-next-line no-restricted-syntax
export const PACKAGE_DIR = path.resolve(__dirname, '..');
/** The template skeleton generated from it. */
export const SKELETON_DIR = path.resolve(
  PACKAGE_DIR,
  '../../templates/kaito-chat-app/skeleton',
);

/**
 * Files the template skeleton carries byte for byte from this package. The skeleton's other
 * files (package.json, tsconfig.json, README.md, catalog-info.yaml, k8s/) are templated.
 */
export const SHARED_FILES = [
  'Dockerfile',
  'public/index.html',
  'src/chat.ts',
  'src/config.ts',
  'src/errors.ts',
  'src/main.ts',
  'src/request.ts',
  'src/server.ts',
];

/** Package source files that are not part of the app (tests, helpers, this file). */
export function isPackageOnly(file: string): boolean {
  return (
    /\.test\.ts$/.test(file) ||
    file.startsWith('src/__testUtils__/') ||
    ['src/index.ts', 'src/skeleton.ts', 'src/syncSkeleton.ts'].includes(file)
  );
}

/** Copies the shared files into the skeleton; returns the ones that changed. */
export async function syncSkeleton(): Promise<string[]> {
  const changed: string[] = [];
  for (const file of SHARED_FILES) {
    const from = await fs.readFile(path.join(PACKAGE_DIR, file), 'utf8');
    const to = path.join(SKELETON_DIR, file);
    const current = await fs.readFile(to, 'utf8').catch(() => undefined);
    if (current !== from) {
      await fs.mkdir(path.dirname(to), { recursive: true });
      await fs.writeFile(to, from);
      changed.push(file);
    }
  }
  return changed;
}
