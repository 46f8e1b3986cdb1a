import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { createFilterOptions } from '@material-ui/lab/Autocomplete';
import type { KaitoCatalogModel } from '@kaito-backstage/plugin-kaito-react';
import { useMemo } from 'react';
import { useInstanceTypes, useModels, useRegion } from '../shared/hooks';
import { FormValues, readSiblings } from '../shared/options';
import { PickerField } from '../shared/PickerField';
import { assessSize } from '../shared/sizes';
import { FitBadge } from './FitBadge';
import { modelFacts, searchText } from './modelText';
import type { KaitoModelPickerProps } from './schema';

/**
 * The `KaitoModelPicker` field: KAITO's model catalog with weight size,
 * context length, runtimes, tuning support and gated marks, searchable, and a
 * badge saying whether the chosen model fits the chosen instance type (read
 * from the sibling field), on how many nodes and at what cost.
 *
 * @public
 */
export const KaitoModelPicker = (props: KaitoModelPickerProps) => {
  const {
    onChange,
    schema,
    required,
    uiSchema,
    rawErrors,
    formData,
    idSchema,
    formContext,
  } = props;
  const title = schema.title ?? 'Model';
  const options = uiSchema['ui:options'];
  const siblings = readSiblings(
    { ...(formContext?.formData as FormValues | undefined), model: formData },
    { ...options, modelField: 'model' },
  );
  const models = useModels();
  const region = useRegion(siblings, options);
  const sizes = useInstanceTypes(
    siblings.instanceType ? formData : undefined,
    region,
  );

  // A template may narrow the catalog with its enum (e.g. tunable models only).
  const allowed = schema.enum as string[] | undefined;
  const byName = useMemo(
    () =>
      new Map(
        (models.value?.items ?? [])
          .filter(m => !allowed || allowed.includes(m.name))
          .map(m => [m.name, m] as const),
      ),
    [models.value, allowed],
  );
  const names = [...byName.keys()];
  const choices =
    formData && !byName.has(formData) ? [formData, ...names] : names;
  const filterOptions = useMemo(
    () =>
      createFilterOptions<string>({
        stringify: name => {
          const m = byName.get(name);
          return m ? searchText(m) : name;
        },
      }),
    [byName],
  );

  const selected: KaitoCatalogModel | undefined = formData
    ? byName.get(formData)
    : undefined;
  const sizeItem = sizes.value?.items.find(
    i => i.instanceType === siblings.instanceType,
  );
  const assessment =
    sizeItem && formData
      ? assessSize(sizeItem, formData, siblings.count)
      : undefined;
  const hasError = (rawErrors?.length ?? 0) > 0 || assessment?.fits === false;

  return (
    <PickerField
      id={idSchema?.$id}
      testId="kaito-model-picker"
      title={title}
      required={required}
      hasError={hasError}
      helperText={schema.description}
      choices={choices}
      value={formData}
      loading={models.loading}
      filterOptions={filterOptions}
      onChange={onChange}
      renderOption={name => {
        const m = byName.get(name);
        return (
          <div data-testid={`kaito-model-option-${name}`}>
            <Typography variant="body2">
              <strong>{name}</strong>
              {m?.gated ? ' (gated)' : ''}
            </Typography>
            {m ? (
              <Typography variant="body2">{modelFacts(m)}</Typography>
            ) : null}
          </div>
        );
      }}
    >
      {models.error ? (
        <Typography variant="body2" role="alert">
          Could not load KAITO's model catalog: {models.error.message}
        </Typography>
      ) : null}
      {selected ? (
        <Box mt={0.5} data-testid="kaito-model-details">
          <Typography variant="body2">{modelFacts(selected)}</Typography>
          {selected.gated ? (
            <Typography variant="body2" data-testid="kaito-model-gated">
              Gated on Hugging Face: the workspace needs a Secret with an
              HF_TOKEN that has accepted the {selected.license} licence.
            </Typography>
          ) : null}
        </Box>
      ) : null}
      {selected && siblings.instanceType && sizes.value ? (
        <Box mt={0.5}>
          <FitBadge
            instanceType={siblings.instanceType}
            item={sizeItem}
            assessment={assessment}
          />
        </Box>
      ) : null}
    </PickerField>
  );
};
