import Typography from '@material-ui/core/Typography';
import { useEffect, useMemo, useRef } from 'react';
import { useInstanceTypes, useRegion } from '../shared/hooks';
import { FormValues, readSiblings } from '../shared/options';
import { PickerField } from '../shared/PickerField';
import { fitText, gpuText } from '../shared/SizeText';
import { assessSize, cheapestThatFits } from '../shared/sizes';
import { useOptionStyles } from '../shared/useOptionStyles';
import type { KaitoInstanceTypePickerProps } from './schema';
import { SizeDetails } from './SizeDetails';

/**
 * The `KaitoInstanceTypePicker` field: every GPU size KAITO knows with its GPU
 * model and memory, the nodes the chosen model needs, the cost per hour of
 * those nodes and the quota headroom where known. Sizes that cannot run the
 * model (or are retired) stay in the list, disabled, with the reason. Until
 * the user picks one, the cheapest size that fits is chosen for them.
 *
 * @public
 */
export const KaitoInstanceTypePicker = (
  props: KaitoInstanceTypePickerProps,
) => {
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
  const title = schema.title ?? 'GPU instance type';
  const optionClasses = useOptionStyles();
  const options = uiSchema['ui:options'];
  const siblings = readSiblings(
    (formContext?.formData as FormValues | undefined) ?? undefined,
    options,
  );
  const region = useRegion(siblings, options);
  const sizes = useInstanceTypes(siblings.model, region);
  const answer = sizes.value;

  const assessed = useMemo(
    () =>
      new Map(
        (answer?.items ?? []).map(item => [
          item.instanceType,
          { item, a: assessSize(item, answer!.model, siblings.count) },
        ]),
      ),
    [answer, siblings.count],
  );
  const cheapest = useMemo(
    () =>
      answer
        ? cheapestThatFits(answer.items, answer.model, siblings.count)
        : undefined,
    [answer, siblings.count],
  );

  // Until the user picks a size, follow the model: the cheapest that fits.
  const chosenByUser = useRef(
    formData !== undefined && formData !== '' && formData !== schema.default,
  );
  useEffect(() => {
    if (chosenByUser.current || !cheapest) return;
    if (cheapest.instanceType !== formData) onChange(cheapest.instanceType);
  }, [cheapest, formData, onChange]);

  const names = (answer?.items ?? []).map(i => i.instanceType);
  const choices =
    formData && !names.includes(formData) ? [formData, ...names] : names;
  const selected = formData ? assessed.get(formData) : undefined;
  const hasError = (rawErrors?.length ?? 0) > 0 || selected?.a.fits === false;

  return (
    <PickerField
      id={idSchema?.$id}
      testId="kaito-instance-type-picker"
      title={title}
      required={required}
      hasError={hasError}
      helperText={
        siblings.model
          ? schema.description
          : 'Choose a model first: fit, nodes and cost depend on it.'
      }
      choices={choices}
      value={formData}
      loading={sizes.loading || region.loading}
      classes={{ option: optionClasses.option }}
      getOptionDisabled={name => assessed.get(name)?.a.fits === false}
      onChange={value => {
        chosenByUser.current = true;
        onChange(value);
      }}
      renderOption={name => {
        const entry = assessed.get(name);
        if (!entry) return name;
        const { item, a } = entry;
        return (
          <div data-testid={`kaito-size-option-${name}`}>
            <Typography variant="body2">
              <strong>{name}</strong>
              {cheapest?.instanceType === name ? ' (cheapest that fits)' : ''}
              {item.retired ? ' (retired)' : ''}
            </Typography>
            <Typography variant="body2">{gpuText(item)}</Typography>
            <Typography variant="body2">
              {a.fits ? fitText(a, item) : `Does not fit: ${a.reason}`}
            </Typography>
          </div>
        );
      }}
    >
      {sizes.error ? (
        <Typography variant="body2" role="alert">
          Could not load the GPU sizes: {sizes.error.message}
        </Typography>
      ) : null}
      {selected && answer ? (
        <SizeDetails
          item={selected.item}
          assessment={selected.a}
          answer={answer}
          cheapest={cheapest?.instanceType === formData}
        />
      ) : null}
    </PickerField>
  );
};
