import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import type { KaitoCatalogInstanceType } from '@kaito-backstage/plugin-kaito-react';
import { fitText } from '../shared/SizeText';
import type { SizeAssessment } from '../shared/sizes';

const useStyles = makeStyles(theme => ({
  badge: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.75),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: 16,
    padding: theme.spacing(0.25, 1.25),
    color: theme.palette.text.primary,
  },
  ok: { color: theme.palette.success.main },
  bad: { color: theme.palette.error.main },
}));

/** Whether the chosen model fits the chosen size, on how many nodes, at what cost. */
export function FitBadge(props: {
  instanceType: string;
  item?: KaitoCatalogInstanceType;
  assessment?: SizeAssessment;
}) {
  const { instanceType, item, assessment: a } = props;
  const classes = useStyles();
  if (!item || !a) {
    return (
      <Box className={classes.badge} data-testid="kaito-model-fit">
        <Typography variant="body2">
          {instanceType} is not a GPU size KAITO knows.
        </Typography>
      </Box>
    );
  }
  return (
    <Box
      className={classes.badge}
      data-testid="kaito-model-fit"
      data-fit={a.fits ? 'fits' : 'misfit'}
    >
      {a.fits ? (
        <CheckCircleOutline
          fontSize="small"
          className={classes.ok}
          aria-hidden
        />
      ) : (
        <ErrorOutline fontSize="small" className={classes.bad} aria-hidden />
      )}
      <Typography variant="body2">
        {a.fits
          ? `Fits ${instanceType}: ${fitText(a, item)}`
          : `Does not fit ${instanceType}: ${a.reason}`}
      </Typography>
    </Box>
  );
}
