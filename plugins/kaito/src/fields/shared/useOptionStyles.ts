import { makeStyles } from '@material-ui/core/styles';

/**
 * Autocomplete options whose disabled rows stay readable: MUI fades them to
 * 38 % opacity, below 4.5:1 contrast, and their text is the reason a person
 * needs to read. They still take no clicks.
 */
export const useOptionStyles = makeStyles(theme => ({
  option: {
    alignItems: 'flex-start',
    '&[aria-disabled="true"]': {
      opacity: 1,
      color: theme.palette.text.primary,
      backgroundColor: theme.palette.background.default,
      borderLeft: `3px solid ${theme.palette.error.main}`,
    },
  },
}));
