import { MODEL_CATALOG } from '@kaito-backstage/plugin-kaito-common';
import { KaitoActionDeps } from './deps';

/** `kaito:list-models`: KAITO's curated model catalog, filterable. */
export function registerListModelsAction(deps: KaitoActionDeps) {
  deps.actionsRegistry.register({
    name: 'list-models',
    title: 'List KAITO models',
    description:
      'The models KAITO can deploy as presets (its curated catalog), with weight size, context length, licence, whether Hugging Face gates them (needs an HF token) and which tuning methods they support. Filter by a search text, task, size or tunability.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          search: z
            .string()
            .max(200)
            .optional()
            .describe('Case-insensitive text in the model id, e.g. "qwen"'),
          task: z
            .string()
            .optional()
            .describe('Hugging Face pipeline tag, e.g. text-generation'),
          maxWeightGiB: z
            .number()
            .positive()
            .optional()
            .describe('Only models whose weights are at most this many GiB'),
          tunable: z
            .boolean()
            .optional()
            .describe('Only models KAITO can fine-tune (LoRA/QLoRA)'),
          gated: z.boolean().optional(),
        }),
      output: z =>
        z.object({
          models: z.array(
            z.object({
              name: z.string().describe('inference.preset.name'),
              servedName: z.string(),
              legacyAlias: z.string().optional(),
              weightSizeGiB: z.number(),
              contextLength: z.number(),
              quantization: z.string().optional(),
              task: z.string(),
              license: z.string(),
              gated: z.boolean(),
              runtimes: z.array(z.string()),
              tuningMethods: z.array(z.string()),
            }),
          ),
        }),
    },
    action: async ({ input }) => {
      const search = input.search?.toLowerCase();
      const models = MODEL_CATALOG.filter(
        m =>
          (!search ||
            m.hfId.toLowerCase().includes(search) ||
            m.legacyAlias?.toLowerCase().includes(search)) &&
          (!input.task || m.task === input.task) &&
          (input.maxWeightGiB === undefined ||
            m.weightSizeGiB <= input.maxWeightGiB) &&
          (input.tunable === undefined ||
            m.tuningMethods.length > 0 === input.tunable) &&
          (input.gated === undefined || m.gated === input.gated),
      ).map(m => ({
        name: m.hfId,
        servedName: m.servedName,
        legacyAlias: m.legacyAlias,
        weightSizeGiB: m.weightSizeGiB,
        contextLength: m.contextLength,
        quantization: m.quantization,
        task: m.task,
        license: m.license,
        gated: m.gated,
        runtimes: m.runtimes,
        tuningMethods: m.tuningMethods,
      }));
      return { output: { models } };
    },
  });
}
