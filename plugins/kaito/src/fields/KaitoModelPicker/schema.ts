import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The `KaitoModelPicker` field: a KAITO preset name (Hugging Face id), with
 * `ui:options` naming the sibling fields its fit badge reads.
 *
 * @public
 */
export const KaitoModelPickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      instanceTypeField: z
        .string()
        .optional()
        .describe('Name of the instance type field (default instanceType)'),
      countField: z
        .string()
        .optional()
        .describe('Name of the GPU node count field (default count)'),
      clusterField: z
        .string()
        .optional()
        .describe(
          'Name of the cluster field whose kaito.sh/azure-location gives the region (default cluster)',
        ),
      region: z.string().optional().describe('A fixed Azure region for prices'),
    }),
});

/** @public */
export type KaitoModelPickerUiOptions =
  typeof KaitoModelPickerFieldSchema.uiOptionsType;

/** @public */
export type KaitoModelPickerProps = typeof KaitoModelPickerFieldSchema.TProps;
