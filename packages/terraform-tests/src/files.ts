import { promises as fs } from 'fs';
import path from 'path';
import type { TerraformFile } from './hcl';

/** Reads every `.tf` file under `root` (skipping `.terraform/`), paths relative to `root`. */
export async function readTerraformTree(
  root: string,
): Promise<TerraformFile[]> {
  const out: TerraformFile[] = [];
  const visit = async (dir: string) => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.terraform') await visit(full);
      } else if (e.name.endsWith('.tf')) {
        out.push({
          path: path.relative(root, full).split(path.sep).join('/'),
          content: await fs.readFile(full, 'utf8'),
        });
      }
    }
  };
  await visit(root);
  return out;
}
