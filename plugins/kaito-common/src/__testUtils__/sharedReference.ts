/* Test-only helper: locates ../shared (the KAITO reference data) at test time. */
import fs from 'node:fs';
import path from 'node:path';

function repoRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'backstage.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function findReferenceDir(): string | undefined {
  const root = repoRoot(__dirname);
  if (!root) return undefined;
  const dir = path.resolve(root, '..', 'shared', 'reference', 'kaito');
  return fs.existsSync(dir) ? dir : undefined;
}

/** `<repo root>/../shared/reference/kaito`, or undefined when absent (a user's own clone). */
export const KAITO_REFERENCE_DIR = findReferenceDir();

/**
 * `describe` when ../shared exists, otherwise `describe.skip`, after logging
 * "skipped: no ../shared". Read files in hooks or tests, not in the describe
 * body, which jest also runs for skipped suites.
 */
export const describeWithShared = KAITO_REFERENCE_DIR
  ? describe
  : describe.skip;

if (!KAITO_REFERENCE_DIR) {
  // eslint-disable-next-line no-console
  console.warn('KAITO reference conformance tests skipped: no ../shared');
}

/** Reads a file under ../shared/reference/kaito. */
export function readReference(rel: string): string {
  if (!KAITO_REFERENCE_DIR) throw new Error('skipped: no ../shared');
  return fs.readFileSync(path.join(KAITO_REFERENCE_DIR, rel), 'utf8');
}

/** Minimal CSV reader (the reference CSVs have no quoted fields). */
export function readCsv(rel: string): Array<Record<string, string>> {
  const [header, ...lines] = readReference(rel).trim().split(/\r?\n/);
  const cols = header.split(',');
  return lines.map(line => {
    const cells = line.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}
