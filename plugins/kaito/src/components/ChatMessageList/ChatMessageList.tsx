import { KaitoChatSessionMessage } from '@kaito-backstage/plugin-kaito-react';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useEffect, useRef } from 'react';
import { ChatMessageItem } from './ChatMessageItem';

const useStyles = makeStyles(theme => ({
  scroller: {
    overflowY: 'auto',
    flex: 1,
    minHeight: 160,
    maxHeight: 'var(--kaito-chat-max-height, 480px)',
  },
  list: {
    listStyle: 'none',
    margin: 0,
    padding: theme.spacing(1, 0),
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
  },
}));

/**
 * The conversation, newest at the bottom. It is a live region (`role="log"`),
 * so screen readers announce new messages; it follows the answer as it streams.
 */
export function ChatMessageList(props: {
  messages: KaitoChatSessionMessage[];
  onRetry: () => void;
  emptyText: string;
}) {
  const { messages, onRetry, emptyText } = props;
  const classes = useStyles();
  const scroller = useRef<HTMLDivElement>(null);
  const last = messages[messages.length - 1];

  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, last?.content]);

  return (
    <div
      ref={scroller}
      className={classes.scroller}
      role="log"
      aria-live="polite"
      aria-label="Conversation"
      // A scrollable region must be reachable by keyboard to scroll it (WCAG 2.1.1).
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
    >
      {messages.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {emptyText}
        </Typography>
      ) : (
        <ul className={classes.list}>
          {messages.map(m => (
            <ChatMessageItem
              key={m.key}
              message={m}
              onRetry={
                m === last && m.role === 'assistant' && m.error
                  ? onRetry
                  : undefined
              }
            />
          ))}
        </ul>
      )}
    </div>
  );
}
