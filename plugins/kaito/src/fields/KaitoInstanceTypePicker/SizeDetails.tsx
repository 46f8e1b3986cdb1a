import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CheckCircleOutline from '@material-ui/icons/CheckCircleOutline';
import ErrorOutline from '@material-ui/icons/ErrorOutline';
import WarningOutlined from '@material-ui/icons/ReportProblemOutlined';
import type {
  KaitoCatalogInstanceType,
  KaitoCatalogInstanceTypes,
} from '@kaito-backstage/plugin-kaito-react';
import { gpuText } from '../shared/SizeText';
import {
  formatNodes,
  formatPerHour,
  formatQuota,
  SizeAssessment,
} from '../shared/sizes';

const useStyles = makeStyles(theme => ({
  panel: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
    padding: theme.spacing(1, 1.5),
    marginTop: theme.spacing(0.5),
    color: theme.palette.text.primary,
  },
  line: { display: 'flex', alignItems: 'flex-start', gap: theme.spacing(1) },
  ok: { color: theme.palette.success.main },
  bad: { color: theme.palette.error.main },
  warn: { color: theme.palette.warning.main },
}));

/**
 * What the chosen size means for the chosen model: GPUs, fit, nodes, cost per
 * hour and quota headroom, or why it cannot run the model.
 */
export function SizeDetails(props: {
  item: KaitoCatalogInstanceType;
  assessment: SizeAssessment;
  answer: KaitoCatalogInstanceTypes;
  cheapest: boolean;
}) {
  const { item, assessment: a, answer, cheapest } = props;
  const classes = useStyles();
  return (
    <Box className={classes.panel} data-testid="kaito-instance-type-details">
      <Typography variant="body2">
        <strong>{item.instanceType}</strong>: {gpuText(item)}
        {cheapest ? ' · cheapest that fits' : ''}
      </Typography>
      {a.fits ? (
        <>
          <div className={classes.line} data-testid="kaito-instance-type-fit">
            <CheckCircleOutline
              fontSize="small"
              className={classes.ok}
              aria-hidden
            />
            <Typography variant="body2">
              Fits {answer.model} on{' '}
              <span data-testid="kaito-instance-type-nodes">
                {formatNodes(a.nodes)}
              </span>
              . {item.fit.summary}
            </Typography>
          </div>
          <Typography variant="body2" data-testid="kaito-instance-type-cost">
            {a.perHour !== undefined && item.cost
              ? `Cost: ${formatPerHour(
                  a.perHour,
                  a.currency,
                )} for ${formatNodes(a.nodes)} (${formatPerHour(
                  item.cost.perNodeHour,
                  a.currency,
                )} per node, ${answer.region} ${
                  item.cost.approximate
                    ? 'approximate list price'
                    : 'configured price'
                } as of ${item.cost.asOf})`
              : `Cost: unknown. ${item.costNote ?? ''}`}
          </Typography>
          <div className={classes.line} data-testid="kaito-instance-type-quota">
            {a.quota?.short ? (
              <WarningOutlined
                fontSize="small"
                className={classes.warn}
                aria-hidden
              />
            ) : null}
            <Typography variant="body2">
              {a.quota
                ? `${formatQuota(a.quota)} in ${answer.region}${
                    a.quota.short
                      ? '; the deployment would fail with QuotaExceeded. Request more quota or pick another size.'
                      : '.'
                  }`
                : `Quota: unknown. ${
                    (item.quota.known === false && item.quota.note) ||
                    answer.quotaNote ||
                    ''
                  }`}
            </Typography>
          </div>
        </>
      ) : (
        <div className={classes.line} data-testid="kaito-instance-type-fit">
          <ErrorOutline fontSize="small" className={classes.bad} aria-hidden />
          <Typography variant="body2" data-testid="kaito-instance-type-reason">
            Does not fit {answer.model}: {a.reason}
          </Typography>
        </div>
      )}
    </Box>
  );
}
