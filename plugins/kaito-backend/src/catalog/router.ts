import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  catalogModelsAnswer,
  findModel,
  instanceTypesAnswer,
  MODEL_CATALOG_KAITO_VERSION,
  PriceTable,
} from '@kaito-backstage/plugin-kaito-common';
import type { KaitoAzure } from '@kaito-backstage/plugin-kaito-node';
import express from 'express';
import Router from 'express-promise-router';
import { lookupQuota } from './quota';

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
    res.json(catalogModelsAnswer());
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
    const quota = await lookupQuota(options.azure, region, options.logger);
    res.json(instanceTypesAnswer({ model, region, count, prices, quota }));
  });

  return router;
}
