import { CopyTextButton } from '@backstage/core-components';
import { KaitoChatSessionMessage } from '@kaito-backstage/plugin-kaito-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ChatErrorNotice } from '../ChatErrorNotice/ChatErrorNotice';
import { ChatMarkdown } from '../ChatMarkdown/ChatMarkdown';
import { ChatSources } from '../ChatSources';

const useStyles = makeStyles(theme => ({
  message: {
    padding: theme.spacing(1, 1.5),
    borderRadius: theme.shape.borderRadius,
    maxWidth: '100%',
  },
  user: {
    backgroundColor: theme.palette.action.selected,
    alignSelf: 'flex-end',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  assistant: {
    backgroundColor: theme.palette.background.default,
    alignSelf: 'stretch',
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1), // a short bubble's label stays clear of its copy button
    minHeight: 28,
  },
}));

const LABELS = { user: 'You', assistant: 'Model', system: 'System' };

/** One message: the user's text as typed, the model's as markdown, with copy and the answer's state. */
export function ChatMessageItem(props: {
  message: KaitoChatSessionMessage;
  /** Retry, offered on the last answer when it failed. */
  onRetry?: () => void;
}) {
  const { message, onRetry } = props;
  const classes = useStyles();
  const label = LABELS[message.role];
  const isUser = message.role === 'user';
  return (
    <Box
      component="li"
      className={`${classes.message} ${
        isUser ? classes.user : classes.assistant
      }`}
      aria-label={`${label}${message.streaming ? ' (answering)' : ''}`}
      aria-busy={message.streaming ? true : undefined}
      data-testid={`chat-message-${message.role}`}
    >
      <div className={classes.header}>
        {/* Primary text: secondary text on the user's tinted bubble is below 4.5:1 in Backstage's default theme. */}
        <Typography variant="caption" component="span">
          {label}
          {message.streaming ? ' · answering…' : ''}
          {message.stopped ? ' · stopped' : ''}
        </Typography>
        {!message.streaming && message.content && (
          <CopyTextButton
            text={message.content}
            aria-label={`Copy ${label.toLowerCase()} message`}
            tooltipText="Message copied"
          />
        )}
      </div>
      {isUser ? (
        <Typography variant="body2" component="div">
          {message.content}
        </Typography>
      ) : (
        <Typography variant="body2" component="div">
          <ChatMarkdown content={message.content} />
        </Typography>
      )}
      {!message.streaming && message.sources && (
        <ChatSources sources={message.sources} />
      )}
      {message.error && (
        <ChatErrorNotice
          message={message.error}
          info={message.errorInfo}
          at={message.failedAt}
          onRetry={onRetry}
        />
      )}
    </Box>
  );
}
