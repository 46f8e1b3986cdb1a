import {
  estimateFit,
  findModel,
  findSku,
  FitResult,
} from '@kaito-backstage/plugin-kaito-common';
import { fieldError } from './errors';

/**
 * The fit of a catalog model on a size (kaito-common's estimator, the same
 * arithmetic as KAITO's). Throws naming `instanceType` when it cannot run;
 * undefined for uncatalogued models or sizes (KAITO decides then).
 */
export function checkFit(
  model: string,
  instanceType: string,
): Extract<FitResult, { nodes: number }> | undefined {
  const m = findModel(model);
  const sku = findSku(instanceType);
  if (!m || !sku) return undefined;
  const fit = estimateFit(m, sku);
  if (fit.verdict === 'cannot-run') {
    throw fieldError(
      'instanceType',
      `${fit.summary} ${fit.reason} Pick a larger GPU size for ${m.hfId}.`,
    );
  }
  return fit;
}
