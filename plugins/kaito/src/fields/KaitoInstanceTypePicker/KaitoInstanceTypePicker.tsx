import FormControl from '@material-ui/core/FormControl';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useInstanceTypes, useRegion } from '../shared/hooks';
import { ErrorContrast } from '../shared/ErrorContrast';
import { FormValues, readSiblings } from '../shared/options';
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

  // MUI v4 sets aria-owns but not aria-controls on the open combobox (axe aria-required-attr).
  const [open, setOpen] = useState(false);
  const popupId = idSchema?.$id ? `${idSchema.$id}-popup` : undefined;

  return (
    <FormControl
      fullWidth
      margin="normal"
      required={required}
      error={hasError}
      data-testid="kaito-instance-type-picker"
    >
      <ErrorContrast id={idSchema?.$id} />
      <Autocomplete<string, false, true, false>
        id={idSchema?.$id}
        open={open}
        onOpen={() => setOpen(true)}
        onClose={() => setOpen(false)}
        aria-controls={open ? popupId : undefined}
        options={choices}
        value={formData ?? (null as unknown as string)}
        loading={sizes.loading || region.loading}
        disableClearable
        classes={{ option: optionClasses.option }}
        getOptionDisabled={name => assessed.get(name)?.a.fits === false}
        onChange={(_event, value) => {
          chosenByUser.current = true;
          onChange(value ?? undefined);
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
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            margin="dense"
            variant="outlined"
            required={required}
            error={hasError}
            helperText={
              siblings.model
                ? schema.description
                : 'Choose a model first: fit, nodes and cost depend on it.'
            }
            FormHelperTextProps={{
              margin: 'dense',
              error: false,
              style: { marginLeft: 0 },
            }}
          />
        )}
      />
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
    </FormControl>
  );
};
