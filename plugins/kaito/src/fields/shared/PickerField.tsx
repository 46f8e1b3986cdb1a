import FormControl from '@material-ui/core/FormControl';
import TextField from '@material-ui/core/TextField';
import Autocomplete, { AutocompleteProps } from '@material-ui/lab/Autocomplete';
import { ReactNode, useState } from 'react';
import { ErrorContrast } from './ErrorContrast';

/** Autocomplete settings a picker may add to the shared ones. */
type PickerAutocompleteExtras = Partial<
  Pick<
    AutocompleteProps<string, false, true, false>,
    'classes' | 'filterOptions' | 'getOptionDisabled'
  >
>;

/** The props both KAITO pickers give their field. */
export interface PickerFieldProps extends PickerAutocompleteExtras {
  /** The field's id (`idSchema.$id`): the input's id, and the scope of its error colours. */
  id?: string;
  /** The field's test id. */
  testId: string;
  title: string;
  required?: boolean;
  hasError: boolean;
  helperText?: ReactNode;
  choices: string[];
  value?: string;
  loading: boolean;
  onChange: (value: string | undefined) => void;
  renderOption: (name: string) => ReactNode;
  /** What stands under the input (load errors, details of the chosen value). */
  children?: ReactNode;
}

/**
 * The form control both KAITO pickers share: a single-choice, non-clearable
 * Autocomplete over names in an outlined text field, with readable error
 * colours and the field description kept in body colour.
 */
export function PickerField(props: PickerFieldProps) {
  const {
    id,
    testId,
    title,
    required,
    hasError,
    helperText,
    choices,
    value,
    loading,
    onChange,
    renderOption,
    children,
    ...extras
  } = props;

  // MUI v4 sets aria-owns but not aria-controls on the open combobox (axe aria-required-attr).
  const [open, setOpen] = useState(false);
  const popupId = id ? `${id}-popup` : undefined;

  return (
    <FormControl
      fullWidth
      margin="normal"
      required={required}
      error={hasError}
      data-testid={testId}
    >
      <ErrorContrast id={id} />
      <Autocomplete<string, false, true, false>
        id={id}
        open={open}
        onOpen={() => setOpen(true)}
        onClose={() => setOpen(false)}
        aria-controls={open ? popupId : undefined}
        options={choices}
        value={value ?? (null as unknown as string)}
        loading={loading}
        disableClearable
        {...extras}
        onChange={(_event, v) => onChange(v ?? undefined)}
        renderOption={renderOption}
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            margin="dense"
            variant="outlined"
            required={required}
            error={hasError}
            helperText={helperText}
            FormHelperTextProps={{
              margin: 'dense',
              error: false,
              style: { marginLeft: 0 },
            }}
          />
        )}
      />
      {children}
    </FormControl>
  );
}
