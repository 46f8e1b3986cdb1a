import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { KaitoClusters } from '@kaito-backstage/plugin-kaito-node';
import { normalizeLocation, requireAzure } from '../lib/azure';
import { fieldError } from '../lib/errors';
import {
  alternatives,
  modelAndSize,
  readUsage,
  regionSkus,
  shortfallMessage,
} from '../lib/quota';
import { examples } from './quotaCheck.examples';

/**
 * `kaito:quota:check`: the GPU quota preflight. Nodes come from
 * kaito-common's fit estimator; usage and Resource SKUs from
 * `@azure/arm-compute`. Fails before anything is created.
 */
export function createQuotaCheckAction(deps: { clusters: KaitoClusters }) {
  return createTemplateAction({
    id: 'kaito:quota:check',
    description:
      'Checks that the GPU family and regional vCPU quota cover the nodes a KAITO Workspace needs, and that the size is offered in the region',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        model: z =>
          z
            .string()
            .min(1)
            .describe("Preset name or Hugging Face id from KAITO's catalog"),
        instanceType: z => z.string().min(1).describe('GPU VM size'),
        location: z => z.string().min(1).describe('Azure region, e.g. eastus'),
        subscriptionId: z =>
          z.string().optional().describe('Default: kaito.azure.subscriptionId'),
        count: z =>
          z
            .number()
            .int()
            .min(1)
            .max(100)
            .optional()
            .describe('Nodes; default from the fit estimator'),
      },
      output: {
        nodes: z => z.number(),
        family: z => z.string(),
        vCpusNeeded: z => z.number(),
        familyUsage: z => z.number(),
        familyLimit: z => z.number(),
        regionalUsage: z => z.number(),
        regionalLimit: z => z.number(),
        ok: z => z.boolean(),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const fit = modelAndSize(input.model, input.instanceType);
      const location = normalizeLocation(input.location);
      const azure = requireAzure(deps.clusters);
      const subscriptionId = azure.subscription(input.subscriptionId);
      const nodes = input.count ?? fit.nodes;
      if (input.count !== undefined && input.count < fit.nodes) {
        ctx.logger.warn(
          `count ${input.count} is below the ${fit.nodes} node(s) KAITO's estimator expects; checking for ${input.count}`,
        );
      }
      ctx.logger.info(`GPU fit: ${fit.summary}`);
      // Read-only calls: the same in a dry run.
      const compute = azure.compute(subscriptionId);
      const skus = await regionSkus(compute, location, ctx.signal);
      const size = skus.find(
        s => s.name.toLowerCase() === fit.sku.instanceType.toLowerCase(),
      );
      if (!size || !size.available) {
        const others = alternatives(fit.model, skus);
        throw fieldError(
          'instanceType',
          `${fit.sku.instanceType} is ${
            size
              ? `restricted in ${location} for this subscription (${
                  size.why ?? 'restricted'
                })`
              : `not offered in ${location}`
          }. Sizes in ${location} that fit ${fit.model.hfId}: ${
            others.join(', ') || 'none; try another region'
          }`,
        );
      }
      const family = size.family ?? fit.sku.quotaFamily ?? 'unknown';
      const vCPUs = size.vCPUs || fit.sku.vCPUs;
      const { familyUsage, regional } = await readUsage(
        compute,
        location,
        family,
        ctx.signal,
      );
      const figures = {
        family,
        vCpusNeeded: vCPUs * nodes,
        familyUsage: familyUsage.current,
        familyLimit: familyUsage.limit,
        regionalUsage: regional.current,
        regionalLimit: regional.limit,
      };
      ctx.logger.info(
        `${family}: ${figures.familyUsage}/${figures.familyLimit} vCPUs in use; regional ${figures.regionalUsage}/${figures.regionalLimit}; ${nodes} × ${fit.sku.instanceType} needs ${figures.vCpusNeeded}`,
      );
      const short = shortfallMessage(figures, {
        location,
        subscriptionId,
        nodes,
        size: fit.sku.instanceType,
        vCPUs,
      });
      if (short) throw new Error(short);
      ctx.output('nodes', nodes);
      for (const [k, v] of Object.entries(figures)) ctx.output(k as any, v);
      ctx.output('ok', true);
    },
  });
}
