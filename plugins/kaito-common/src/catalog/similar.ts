import { MODEL_CATALOG, type ModelInfo } from './models';
import { SKU_TABLE, type SkuInfo } from './skus';

/**
 * "Did you mean": catalog models and SKU-table sizes a small number of edits
 * away from a name that is not in the tables.
 */

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        prev[j] + 1,
        cur[j - 1] + 1,
        prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length];
}

/** Candidates at the smallest distance within `max`, in table order, at most `limit`. */
function closest<T>(
  scored: Array<{ item: T; distance: number }>,
  max: number,
  limit: number,
): T[] {
  const within = scored.filter(s => s.distance <= max);
  if (!within.length) return [];
  const best = Math.min(...within.map(s => s.distance));
  return within
    .filter(s => s.distance === best)
    .slice(0, limit)
    .map(s => s.item);
}

const withoutNumbers = (s: string) => s.replace(/[0-9.]/g, '');

export interface SimilarModelsOptions {
  /**
   * Whether a name differing only in digits or dots (`Qwen3-4B` vs
   * `Qwen3.5-4B`, `Llama-3.2` vs `Llama-3.1`) counts as a typo. Default true;
   * false where the name is accepted anyway, since such a name is usually
   * another size or version of the model, not a misspelling.
   */
  numbersAreTypos?: boolean;
  /** Models to choose from (default: the whole catalog). */
  among?: readonly ModelInfo[];
  limit?: number;
}

/**
 * Catalog models whose HF id (for an `org/model` name) or legacy alias / last
 * id segment (for a bare name) is within a couple of edits of `name`, closest
 * first. [] for catalog names and far-off ones.
 */
export function similarModels(
  name: string,
  opts: SimilarModelsOptions = {},
): ModelInfo[] {
  if (typeof name !== 'string') return [];
  const q = name.trim().toLowerCase();
  if (!q) return [];
  const max = q.length >= 8 ? 2 : 1;
  const hasOrg = q.includes('/');
  const scored = (opts.among ?? MODEL_CATALOG).flatMap(model => {
    const keys = hasOrg
      ? [model.hfId.toLowerCase()]
      : [model.legacyAlias, model.hfId.split('/').pop()!.toLowerCase()].filter(
          (k): k is string => !!k,
        );
    if (keys.includes(q)) return [];
    const candidates = keys.filter(
      k =>
        opts.numbersAreTypos !== false ||
        withoutNumbers(k) !== withoutNumbers(q),
    );
    if (!candidates.length) return [];
    const distance = Math.min(...candidates.map(k => editDistance(q, k)));
    return [{ item: model, distance }];
  });
  return closest(scored, max, opts.limit ?? 3);
}

/**
 * Sizes the current KAITO supports within a few edits of `instanceType`
 * (case-insensitive), closest first; [] for known or far-off names.
 */
export function similarInstanceTypes(
  instanceType: string,
  limit = 3,
): SkuInfo[] {
  if (typeof instanceType !== 'string') return [];
  const q = instanceType.trim().toLowerCase();
  if (!q) return [];
  let max = 1;
  if (q.length >= 12) max = 3;
  else if (q.length >= 6) max = 2;
  const scored = SKU_TABLE.filter(s => s.supported).flatMap(sku => {
    const key = sku.instanceType.toLowerCase();
    return key === q ? [] : [{ item: sku, distance: editDistance(q, key) }];
  });
  return closest(scored, max, limit);
}

/** `Standard_NC24ads_A100_v4 (1 × NVIDIA A100, 80 GiB)`, joined with "or". */
export function describeSizes(skus: readonly SkuInfo[]): string {
  return skus
    .map(
      s =>
        `${s.instanceType} (${s.gpuCount} × ${s.gpuModel}, ${s.gpuMemoryGiB} GiB)`,
    )
    .join(' or ');
}

/** Names to suggest for a mistyped model: `alias (hfId)` for a bare name, the HF id otherwise. */
export function describeModels(
  models: readonly ModelInfo[],
  typed: string,
): string {
  const bare = !typed.includes('/');
  return models
    .map(m => {
      const name =
        bare && m.legacyAlias ? `${m.legacyAlias} (${m.hfId})` : m.hfId;
      return m.gated ? `${name} (gated: needs modelAccessSecret)` : name;
    })
    .join(' or ');
}
