import { InputError } from '@backstage/errors';
import {
  findModel,
  instanceTypeOptions,
  quotaHeadroom,
} from '@kaito-backstage/plugin-kaito-common';
import { KaitoActionDeps } from './deps';
import { quotaScope } from './quotaScope';

/** Region priced when the caller names none (the built-in table's base region). */
const DEFAULT_REGION = 'eastus';

/**
 * `kaito:recommend-instance-types`: the sizes that can serve a catalog model,
 * cheapest first, from the same fit estimator and price table the pickers
 * use (kaito-common `instanceTypeOptions`).
 */
export function registerRecommendInstanceTypesAction(deps: KaitoActionDeps) {
  deps.actionsRegistry.register({
    name: 'recommend-instance-types',
    title: 'Recommend instance types for a model',
    description:
      'For a model of the KAITO catalog (Hugging Face id or short name, see list-models), the Azure GPU sizes that can serve it: nodes needed, the fit arithmetic, the hourly cost in the region and the GPU vCPU quota headroom of the subscription there, cheapest first. Pass cluster (a kubernetes-cluster Resource) to use its Azure region and subscription. Sizes that cannot hold the model are listed last with the reason when includeUnusable is true.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          model: z
            .string()
            .min(1)
            .describe(
              'Model, e.g. "microsoft/Phi-4-mini-instruct" or "phi-4-mini-instruct"',
            ),
          region: z
            .string()
            .regex(/^[a-z0-9]+$/i, 'use an Azure region name such as eastus')
            .optional()
            .describe(
              `Azure region for prices and quota (default: the cluster's, else ${DEFAULT_REGION})`,
            ),
          cluster: z
            .string()
            .max(300)
            .optional()
            .describe(
              'Catalog kubernetes-cluster Resource to deploy on, e.g. "resource:default/my-aks": its kaito.sh/azure-location and kaito.sh/azure-subscription pick the region and the subscription whose quota is read',
            ),
          replicas: z.number().int().min(1).max(100).optional(),
          contextLength: z
            .number()
            .int()
            .min(256)
            .optional()
            .describe('Tokens of context to reserve KV cache for'),
          includeUnusable: z.boolean().optional(),
          limit: z.number().int().min(1).max(100).optional(),
        }),
      output: z =>
        z.object({
          model: z.string(),
          region: z.string(),
          currency: z.string(),
          options: z.array(
            z.object({
              instanceType: z.string(),
              gpu: z.string().optional(),
              gpuCount: z.number().optional(),
              usable: z.boolean(),
              verdict: z.enum(['fits', 'needs-nodes', 'cannot-run']),
              nodes: z.number().optional(),
              perHour: z.number().optional(),
              perNodeHour: z.number().optional(),
              approximatePrice: z.boolean().optional(),
              summary: z.string(),
              reason: z.string().optional(),
              costNote: z.string().optional(),
              quota: z
                .object({
                  known: z.boolean(),
                  family: z.string().optional(),
                  limit: z.number().optional(),
                  used: z.number().optional(),
                  available: z.number().optional(),
                  needed: z.number().optional(),
                  regionalAvailable: z
                    .number()
                    .optional()
                    .describe('Free Total Regional vCPUs'),
                  enough: z.boolean().optional(),
                  note: z.string().optional(),
                })
                .optional()
                .describe(
                  'vCPU quota of the size family in the region: available = limit - used; enough when the nodes fit in it and in the free Total Regional vCPUs',
                ),
            }),
          ),
          cheapest: z.string().optional(),
          cheapestWithinQuota: z
            .string()
            .optional()
            .describe('Cheapest usable size whose nodes fit in the free quota'),
          cluster: z.string().optional(),
          quotaSubscriptionId: z.string().optional(),
          quotaNote: z.string().optional(),
          note: z.string(),
        }),
    },
    action: async ({ input, credentials }) => {
      const model = findModel(input.model);
      if (!model) {
        throw new InputError(
          `model: '${input.model.slice(
            0,
            100,
          )}' is not in the KAITO model catalog; call list-models for the names`,
        );
      }
      const { region, quota, clusterRef } = await quotaScope(
        deps,
        input,
        DEFAULT_REGION,
        credentials,
      );
      const all = instanceTypeOptions({
        model,
        region,
        prices: deps.prices,
        replicas: input.replicas,
        contextLength: input.contextLength,
        includeRetired: false,
      });
      const price = (o: (typeof all)[number]) =>
        o.cost?.perHour ?? Number.POSITIVE_INFINITY;
      const sorted = all
        .filter(o => o.usable || input.includeUnusable)
        .sort(
          (a, b) =>
            Number(b.usable) - Number(a.usable) ||
            price(a) - price(b) ||
            (a.nodes ?? 0) - (b.nodes ?? 0) ||
            a.sku.instanceType.localeCompare(b.sku.instanceType),
        )
        .slice(0, input.limit ?? 20);
      const cheapest = sorted.find(o => o.usable && o.cost);
      // The family headroom of the catalog route, and the Total Regional
      // vCPUs ("cores") the quota check step also enforces.
      const cores = quota.known ? quota.byFamily.get('cores') : undefined;
      const regionalAvailable = cores ? cores.limit - cores.used : undefined;
      const quotas = new Map(
        sorted.map(o => {
          if (!o.usable) return [o, undefined];
          const q: ReturnType<typeof quotaHeadroom> & {
            needed?: number;
            enough?: boolean;
            regionalAvailable?: number;
          } = quotaHeadroom(o, quota);
          if (!q.known || regionalAvailable === undefined) return [o, q];
          return [
            o,
            {
              ...q,
              regionalAvailable,
              ...(q.needed === undefined
                ? {}
                : { enough: !!q.enough && q.needed <= regionalAvailable }),
            },
          ];
        }),
      );
      const withinQuota = sorted.find(
        o => o.usable && o.cost && quotas.get(o)?.enough === true,
      );
      return {
        output: {
          model: model.hfId,
          region,
          currency: deps.prices.currency,
          options: sorted.map(o => ({
            instanceType: o.sku.instanceType,
            gpu: o.sku.gpuModel,
            gpuCount: o.sku.gpuCount,
            usable: o.usable,
            verdict: o.fit.verdict,
            nodes: o.nodes,
            perHour: o.cost?.perHour,
            perNodeHour: o.cost?.perNodeHour,
            approximatePrice: o.cost?.approximate,
            summary: o.fit.summary,
            reason: o.reason,
            costNote: o.costNote,
            quota: quotas.get(o),
          })),
          cheapest: cheapest?.sku.instanceType,
          cheapestWithinQuota: withinQuota?.sku.instanceType,
          cluster: clusterRef,
          ...(quota.known
            ? { quotaSubscriptionId: quota.subscriptionId }
            : { quotaNote: quota.note }),
          note: `Fit is KAITO's GPU-memory estimate; prices are ${
            cheapest?.cost?.approximate === false
              ? `from ${cheapest.cost.source}`
              : 'approximate list prices'
          }${
            input.region || clusterRef
              ? ` for ${region}`
              : ` for ${DEFAULT_REGION} (pass region or cluster for yours)`
          }. ${
            quota.known
              ? `Quota is the free vCPUs of each size family in subscription ${quota.subscriptionId}, ${region}; sizes with enough: false need a quota increase first.`
              : quota.note
          }`,
        },
      };
    },
  });
}
