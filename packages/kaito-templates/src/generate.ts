import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { generatedLists } from './enums';

/** `<repo>/templates`, found from this file. */
export const TEMPLATES_DIR = resolvePackagePath(
  '@kaito-backstage/kaito-templates',
  '../../templates',
);
/** `<repo>/terraform`, found from this file. */
export const TERRAFORM_DIR = resolvePackagePath(
  '@kaito-backstage/kaito-templates',
  '../../terraform',
);

const BLOCK =
  /^([ \t]*)# generated:([a-z-]+)[^\n]*\n(?:[\s\S]*?\n)?[ \t]*# end generated:\2[^\n]*$/gm;

function yamlScalar(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(value)
    ? value
    : JSON.stringify(value);
}

/**
 * Rewrites every `# generated:<key>` … `# end generated:<key>` block of a
 * YAML text with the current list for <key>, as YAML sequence items at the
 * marker's indentation. Throws on an unknown key.
 */
export function renderGeneratedBlocks(text: string): string {
  const lists = generatedLists();
  return text.replace(BLOCK, (_all, indent: string, key: string) => {
    const list = lists[key];
    if (!list) {
      throw new Error(
        `Unknown generated list '${key}'; known: ${Object.keys(lists).join(
          ', ',
        )}`,
      );
    }
    return [
      `${indent}# generated:${key} from kaito-common (yarn workspace @kaito-backstage/kaito-templates generate); do not edit`,
      ...list.map(v => `${indent}- ${yamlScalar(v)}`),
      `${indent}# end generated:${key}`,
    ].join('\n');
  });
}

/**
 * Files the generator owns: each template.yaml (its generated blocks), and
 * the Terraform root of the aks-kaito-cluster template, copied verbatim from
 * terraform/examples/complete so the published root is the tested example.
 */
export function expectedFiles(): Array<{ file: string; content: string }> {
  const out: Array<{ file: string; content: string }> = [];
  for (const dir of fs.readdirSync(TEMPLATES_DIR).sort()) {
    const file = path.join(TEMPLATES_DIR, dir, 'template.yaml');
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    out.push({ file, content: renderGeneratedBlocks(text) });
  }
  const example = path.join(TERRAFORM_DIR, 'examples', 'complete');
  const root = path.join(
    TEMPLATES_DIR,
    'aks-kaito-cluster',
    'skeleton-terraform',
  );
  if (fs.existsSync(example)) {
    for (const name of [
      'main.tf',
      'variables.tf',
      'outputs.tf',
      'versions.tf',
    ]) {
      out.push({
        file: path.join(root, name),
        content: fs.readFileSync(path.join(example, name), 'utf8'),
      });
    }
  }
  return out;
}

/** Files whose committed content differs from what the generator produces. */
export function driftedFiles(): string[] {
  return expectedFiles()
    .filter(
      ({ file, content }) =>
        !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content,
    )
    .map(({ file }) => path.relative(path.dirname(TEMPLATES_DIR), file));
}

/** Writes every generated file; returns the ones that changed. */
export function writeGeneratedFiles(): string[] {
  const changed = driftedFiles();
  for (const { file, content } of expectedFiles()) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return changed;
}
