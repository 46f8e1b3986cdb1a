import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  cheapestFit,
  findModel,
  instanceTypeOptions,
  InstanceTypeOption,
  MODEL_CATALOG,
  MODEL_CATALOG_KAITO_VERSION,
  PriceTable,
  SKU_TABLE_KAITO_VERSION,
} from '@kaito-backstage/plugin-kaito-common';
import type { KaitoAzure } from '@kaito-backstage/plugin-kaito-node';
import express from 'express';
import Router from 'express-promise-router';
import { lookupQuota, QuotaLookup } from './quota';

export interface CatalogRouterOptions {
  prices: PriceTable;
  /** Region used when the request names none (`kaito.catalog.defaultRegion`). */
  defaultRegion: string;
  /** Azure access for quota (`kaito.azure`); undefined: no quota. */
  azure?: KaitoAzure;
  logger: LoggerService;
}

const REGION = /^[a-z][a-z0-9]{1,39}$/;

function singleQuery(req: express.Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') {
    throw new InputError(`Query parameter '${name}' must be given once`);
  }
  return v.trim();
}

function readCount(req: express.Request): number {
  const raw = singleQuery(req, 'count');
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw new InputError(
      `Query parameter 'count' must be a whole number of replicas from 1 to 100, got '${raw}'`,
    );
  }
  return n;
}

/** One size's quota headroom (also used by the recommend-instance-types action). */
export function quotaOf(option: InstanceTypeOption, quota: QuotaLookup) {
  if (!quota.known) return { known: false, note: quota.note };
  const family = option.sku.quotaFamily;
  const q = family ? quota.byFamily.get(family.toLowerCase()) : undefined;
  if (!q) {
    return {
      known: false,
      note: family
        ? `Quota unknown: Azure lists no ${family} usage in this region (the size may not be offered here).`
        : `Quota unknown: no Azure quota family is recorded for ${option.sku.instanceType}.`,
    };
  }
  const available = q.limit - q.used;
  const needed =
    option.nodes === undefined ? undefined : option.nodes * option.sku.vCPUs;
  return {
    known: true,
    family: q.family,
    limit: q.limit,
    used: q.used,
    available,
    ...(needed === undefined ? {} : { needed, enough: needed <= available }),
  };
}

/**
 * Entity-independent catalog routes for the scaffolder pickers:
 * `GET /catalog/models` and `GET /catalog/instance-types`. Any signed-in
 * user (the parent router requires credentials). The quota subscription is
 * `kaito.azure.subscriptionId`; the region is the `region` query parameter
 * (default `kaito.catalog.defaultRegion`).
 */
export function createCatalogRouter(
  options: CatalogRouterOptions,
): express.Router {
  const { prices } = options;
  const router = Router();

  router.get('/models', async (_req, res) => {
    res.json({
      kaitoVersion: MODEL_CATALOG_KAITO_VERSION,
      items: MODEL_CATALOG.map(m => ({
        name: m.hfId,
        servedName: m.servedName,
        weightSizeGiB: m.weightSizeGiB,
        contextLength: m.contextLength,
        ...(m.quantization ? { quantization: m.quantization } : {}),
        runtimes: m.runtimes,
        tuningMethods: m.tuningMethods,
        gated: m.gated,
        license: m.license,
        task: m.task,
      })),
    });
  });

  router.get('/instance-types', async (req, res) => {
    const modelName = singleQuery(req, 'model');
    if (!modelName) {
      throw new InputError(
        "Query parameter 'model' is required: pass a KAITO preset name such as microsoft/Phi-4-mini-instruct (see GET /catalog/models)",
      );
    }
    const model = findModel(modelName);
    if (!model) {
      throw new NotFoundError(
        `Model '${modelName}' is not in KAITO ${MODEL_CATALOG_KAITO_VERSION}'s catalog; see GET /catalog/models for the names`,
      );
    }
    const region = (
      singleQuery(req, 'region') || options.defaultRegion
    ).toLowerCase();
    if (!REGION.test(region)) {
      throw new InputError(
        `Query parameter 'region' must be an Azure region name such as eastus, got '${region}'`,
      );
    }
    const count = readCount(req);
    const options_ = instanceTypeOptions({
      model,
      region,
      prices,
      replicas: count,
    });
    const cheapest = cheapestFit(options_);
    const quota = await lookupQuota(options.azure, region, options.logger);
    res.json({
      model: model.hfId,
      region,
      count,
      currency: prices.currency,
      skuTableKaitoVersion: SKU_TABLE_KAITO_VERSION,
      ...(quota.known
        ? { quotaSubscriptionId: quota.subscriptionId }
        : { quotaNote: quota.note }),
      cheapest: cheapest?.sku.instanceType ?? null,
      items: options_.map(o => ({
        instanceType: o.sku.instanceType,
        gpuModel: o.sku.gpuModel,
        gpuCount: o.sku.gpuCount,
        gpuMemoryGiB: o.sku.gpuMemoryGiB,
        vCPUs: o.sku.vCPUs,
        retired: !o.sku.supported,
        usable: o.usable,
        ...(o.reason ? { reason: o.reason } : {}),
        fit: {
          verdict: o.fit.verdict,
          summary: o.fit.summary,
          warnings: o.fit.warnings,
        },
        ...(o.nodes === undefined ? {} : { nodes: o.nodes }),
        ...(o.cost ? { cost: o.cost } : {}),
        ...(o.costNote ? { costNote: o.costNote } : {}),
        quota: o.usable ? quotaOf(o, quota) : { known: false },
      })),
    });
  });

  return router;
}
