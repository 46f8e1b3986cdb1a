import {
  isConversationSourceUrl,
  type ConversationSource,
} from '@kaito-backstage/plugin-kaito-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useState } from 'react';

let ids = 0;

const SNIPPET_CHARS = 280;

/** The name a source is shown under: its document's title, else its doc_id. */
export function sourceTitle(source: ConversationSource): string {
  return source.title || source.doc_id;
}

function snippet(t: string): string {
  const flat = t.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_CHARS
    ? `${flat.slice(0, SNIPPET_CHARS - 1)}…`
    : flat;
}

/**
 * The documents a RAGEngine retrieved for an answer, folded under "Sources (n)": each with its
 * title (linked when it has a URL), score and the start of the retrieved text. Live answers and
 * reopened conversations give the same trimmed shape (`toConversationSource`), so they look alike.
 */
export function ChatSources(props: { sources: ConversationSource[] }) {
  const { sources } = props;
  const [open, setOpen] = useState(false);
  // React 16/17 have no useId; a counter read once per mounted list is enough.
  const [id] = useState(() => `kaito-chat-sources-${++ids}`);
  if (sources.length === 0) return null;
  return (
    <Box mt={1}>
      <Button
        size="small"
        onClick={() => setOpen(o => !o)}
        aria-expanded={open}
        aria-controls={id}
        startIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
      >
        Sources ({sources.length})
      </Button>
      {open && (
        <Box
          component="ol"
          id={id}
          aria-label="Sources"
          pl={3}
          my={0.5}
          data-testid="kaito-chat-sources"
        >
          {sources.map((s, i) => {
            // A saved conversation is read back from the server: link only web addresses.
            const url =
              s.url && isConversationSourceUrl(s.url) ? s.url : undefined;
            const title = sourceTitle(s);
            return (
              <li key={`${s.doc_id}-${i}`} data-testid="kaito-chat-source">
                <Typography variant="body2" component="span">
                  {url ? (
                    <a href={url} target="_blank" rel="noopener noreferrer">
                      {title}
                    </a>
                  ) : (
                    <strong>{title}</strong>
                  )}{' '}
                  <Typography variant="caption" component="span">
                    (score {Number.isFinite(s.score) ? s.score.toFixed(2) : '–'}
                    )
                  </Typography>
                </Typography>
                <Typography
                  variant="body2"
                  component="blockquote"
                  style={{ margin: '2px 0 6px', overflowWrap: 'anywhere' }}
                >
                  {snippet(s.snippet)}
                </Typography>
              </li>
            );
          })}
        </Box>
      )}
    </Box>
  );
}
