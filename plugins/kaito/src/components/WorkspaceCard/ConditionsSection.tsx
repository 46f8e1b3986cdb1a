import type { WorkspaceReadiness } from '@kaito-backstage/plugin-kaito-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';

/** The raw Workspace conditions (and the container log tail, when given), folded away. */
export function ConditionsSection(props: {
  readiness: Pick<WorkspaceReadiness, 'conditions' | 'containerLog'>;
  /** The table's accessible name (default "Workspace conditions"). */
  label?: string;
}) {
  const { conditions, containerLog } = props.readiness;
  return (
    <Accordion variant="outlined" TransitionProps={{ unmountOnExit: true }}>
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls="kaito-conditions-content"
        id="kaito-conditions-header"
      >
        {/* Not a heading: inside a button it would be an h6 after the card's h3s. */}
        <Typography variant="subtitle2" component="span">
          Conditions ({conditions.length})
          {containerLog ? ' and container log' : ''}
        </Typography>
      </AccordionSummary>
      <AccordionDetails id="kaito-conditions-content">
        <Box width="100%" overflow="auto">
          {conditions.length === 0 ? (
            <Typography variant="body2">
              The controller has not written any condition yet.
            </Typography>
          ) : (
            <Table
              size="small"
              aria-label={props.label ?? 'Workspace conditions'}
            >
              <TableHead>
                <TableRow>
                  <TableCell>Type</TableCell>
                  <TableCell>Status</TableCell>
                  <TableCell>Reason</TableCell>
                  <TableCell>Message</TableCell>
                  <TableCell>Last transition</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {conditions.map(c => (
                  <TableRow key={c.type}>
                    <TableCell>{c.type}</TableCell>
                    <TableCell>{c.status}</TableCell>
                    <TableCell>{c.reason}</TableCell>
                    <TableCell style={{ wordBreak: 'break-word' }}>
                      {c.message}
                    </TableCell>
                    <TableCell>
                      {c.lastTransitionTime
                        ? new Date(c.lastTransitionTime).toLocaleString()
                        : ''}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {containerLog && (
            <Box mt={2}>
              <Typography variant="subtitle2" component="h3">
                Last log lines of {containerLog.pod}/{containerLog.container}
                {containerLog.causeText ? ` — ${containerLog.causeText}` : ''}
              </Typography>
              <Box
                component="pre"
                fontSize="0.75rem"
                whiteSpace="pre-wrap"
                data-testid="kaito-container-log"
              >
                {containerLog.lines.join('\n')}
              </Box>
            </Box>
          )}
        </Box>
      </AccordionDetails>
    </Accordion>
  );
}
