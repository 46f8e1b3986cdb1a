import { useTheme } from '@material-ui/core/styles';

/**
 * Darkens this field's error texts (its label and the error list the form
 * renders under it) from MUI's error red, 3.68:1 on white, to the theme's
 * dark error colour, above 4.5:1. Scoped to the field's id.
 */
export function ErrorContrast(props: { id?: string }) {
  const theme = useTheme();
  if (!props.id || !/^[\w-]+$/.test(props.id)) return null;
  const id = props.id;
  return (
    <style>{`#${id}-label.Mui-error, #${id}__error, #${id}__error.Mui-error { color: ${theme.palette.error.dark}; }`}</style>
  );
}
