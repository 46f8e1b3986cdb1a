/** The whole form's values, as Backstage hands them to fields and validators. */
export type FormValues = Record<string, unknown>;

/**
 * `ui:options` both KAITO pickers understand: where the sibling fields are
 * and where the region comes from.
 *
 * @public
 */
export interface KaitoPickerUiOptions {
  /** Name of the model field (default `model`). */
  modelField?: string;
  /** Name of the instance type field (default `instanceType`). */
  instanceTypeField?: string;
  /** Name of the GPU node count field (default `count`); empty means "let KAITO size it". */
  countField?: string;
  /** Name of the cluster field whose catalog entity carries `kaito.sh/azure-location` (default `cluster`). */
  clusterField?: string;
  /** A fixed Azure region; wins over the cluster's. Without either, the backend's `kaito.catalog.defaultRegion`. */
  region?: string;
}

/** The sibling values a picker reads from the whole form. */
export interface PickerSiblings {
  model?: string;
  instanceType?: string;
  /** GPU nodes the user asked for, when set. */
  count?: number;
  cluster?: string;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** Reads the sibling fields named by `options` from the form data. */
export function readSiblings(
  formData: FormValues | undefined,
  options: KaitoPickerUiOptions | undefined,
): PickerSiblings {
  const data = formData ?? {};
  const count = data[options?.countField ?? 'count'];
  return {
    model: text(data[options?.modelField ?? 'model']),
    instanceType: text(data[options?.instanceTypeField ?? 'instanceType']),
    count:
      typeof count === 'number' && Number.isInteger(count) && count > 0
        ? count
        : undefined,
    cluster: text(data[options?.clusterField ?? 'cluster']),
  };
}
