/* Test-only: RAGEngine condition facts as ../shared/research/kaito.md §6 records them from KAITO's sources. */
import fs from 'node:fs';
import path from 'node:path';
import { CRD_DIR } from './crd';

export interface RagConditionFacts {
  /** Every condition type and reason named. */
  names: Set<string>;
  /** Types whose entry names no reason (the notes record none for them). */
  reasonless: Set<string>;
}

/**
 * The condition types and reasons named in the "Conditions:" list of the
 * RAGEngine section (`…Failed` expands from the name before it), or
 * undefined without ../shared.
 */
export function ragConditionFacts(): RagConditionFacts | undefined {
  if (!CRD_DIR) return undefined;
  const file = path.resolve(CRD_DIR, '../../../research/kaito.md');
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  const section = text.slice(text.indexOf('## 6. RAGEngine CRD'));
  const block = section.slice(
    section.indexOf('Conditions:'),
    section.indexOf('The controller creates'),
  );
  const names = new Set<string>();
  const reasonless = new Set<string>();
  for (const line of block.split('\n').filter(l => l.startsWith('- '))) {
    const tokens = [...line.matchAll(/`([^`]+)`/g)].map(m => m[1]);
    if (tokens.length === 1) reasonless.add(tokens[0]);
    let previous = '';
    for (const token of tokens) {
      const name = token.startsWith('…')
        ? previous.replace(/Success$/, '') + token.slice(1)
        : token;
      names.add(name);
      previous = name;
    }
  }
  return { names, reasonless };
}
