import type { RagTechDocsAnswer } from '@kaito-backstage/plugin-kaito-common';
import {
  ragErrorMessage,
  ragErrorStatus,
} from '@kaito-backstage/plugin-kaito-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import MenuBookIcon from '@material-ui/icons/MenuBook';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';

function resultText(answer: RagTechDocsAnswer): string {
  const from =
    answer.sources.length > 0 ? ` from ${answer.sources.join(', ')}` : '';
  const skipped = answer.skipped.length
    ? `; ${answer.skipped.length} skipped (${answer.skipped
        .slice(0, 3)
        .map(s => `${s.page}: ${s.reason}`)
        .join('; ')}${answer.skipped.length > 3 ? '; …' : ''})`
    : '';
  return `Read ${answer.pages} TechDocs page${
    answer.pages === 1 ? '' : 's'
  }${from}: ${answer.added} added to index ${answer.index}${skipped}.`;
}

/**
 * "Index this system's TechDocs": asks the backend to read the TechDocs pages of the entity's
 * system into the index and shows the counts. Disabled with the reason once the backend answers
 * 404 (no TechDocs indexing, or nothing to index).
 */
export function RagTechDocsButton(props: {
  indexTechDocs(): Promise<RagTechDocsAnswer>;
  /** Called after pages were added. */
  onIndexed(): void;
  /** Why the button is disabled (e.g. no permission). */
  disabledReason?: string;
}) {
  const { indexTechDocs, onIndexed } = props;
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<RagTechDocsAnswer>();
  const [error, setError] = useState<string>();
  const [unavailable, setUnavailable] = useState<string>();

  const run = async () => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const answer = await indexTechDocs();
      setResult(answer);
      if (answer.added > 0) onIndexed();
    } catch (e) {
      if (ragErrorStatus(e) === 404) {
        setUnavailable(
          `TechDocs indexing is not available here: ${ragErrorMessage(e)}`,
        );
      } else {
        setError(ragErrorMessage(e));
      }
    } finally {
      setBusy(false);
    }
  };

  const reason = props.disabledReason ?? unavailable;
  const button = (
    <Button
      size="small"
      startIcon={<MenuBookIcon />}
      onClick={run}
      disabled={busy || !!reason}
    >
      {busy ? 'Indexing TechDocs…' : "Index this system's TechDocs"}
    </Button>
  );
  return (
    <>
      {reason ? (
        <Tooltip title={reason}>
          {/* A disabled button gets no pointer events; the span carries the tooltip (and the keyboard focus to show it). */}
          {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
          <span tabIndex={0} data-testid="kaito-rag-techdocs-disabled">
            {button}
          </span>
        </Tooltip>
      ) : (
        button
      )}
      {(result || error || unavailable) && (
        <Box width="100%" mt={1}>
          {result && (
            <Alert severity="success" data-testid="kaito-rag-techdocs-result">
              {resultText(result)}
            </Alert>
          )}
          {error && (
            <Alert severity="error" data-testid="kaito-rag-techdocs-result">
              TechDocs were not indexed: {error}
            </Alert>
          )}
          {unavailable && (
            <Alert severity="info" data-testid="kaito-rag-techdocs-result">
              {unavailable}
            </Alert>
          )}
        </Box>
      )}
    </>
  );
}
