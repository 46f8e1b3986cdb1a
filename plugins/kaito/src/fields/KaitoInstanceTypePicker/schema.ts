import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The `KaitoInstanceTypePicker` field: an Azure GPU size, with `ui:options`
 * naming the sibling fields it reads.
 *
 * @public
 */
export const KaitoInstanceTypePickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      modelField: z
        .string()
        .optional()
        .describe('Name of the model field (default model)'),
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
      region: z
        .string()
        .optional()
        .describe('A fixed Azure region for prices and quota'),
    }),
});

/** @public */
export type KaitoInstanceTypePickerUiOptions =
  typeof KaitoInstanceTypePickerFieldSchema.uiOptionsType;

/** @public */
export type KaitoInstanceTypePickerProps =
  typeof KaitoInstanceTypePickerFieldSchema.TProps;
