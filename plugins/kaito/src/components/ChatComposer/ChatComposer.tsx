import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import SendIcon from '@material-ui/icons/Send';
import StopIcon from '@material-ui/icons/Stop';
import { KeyboardEvent, useState } from 'react';

/**
 * Where the user writes: Enter sends, Shift+Enter starts a new line. While an
 * answer streams, Stop replaces Send. When `disabledReason` is set, nothing
 * can be sent and the reason is the field's description.
 */
export function ChatComposer(props: {
  streaming: boolean;
  disabledReason?: string;
  onSend: (text: string) => void;
  onStop: () => void;
}) {
  const { streaming, disabledReason, onSend, onStop } = props;
  const [text, setText] = useState('');
  const disabled = disabledReason !== undefined;
  const canSend = !disabled && !streaming && text.trim().length > 0;

  const send = () => {
    if (!canSend) return;
    onSend(text);
    setText('');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  return (
    <Box display="flex" alignItems="flex-start" gridGap={8} mt={1}>
      <TextField
        id="kaito-chat-message"
        label="Message"
        placeholder="Ask the model… (Enter to send, Shift+Enter for a new line)"
        variant="outlined"
        size="small"
        fullWidth
        multiline
        maxRows={8}
        value={text}
        disabled={disabled}
        helperText={disabledReason}
        onChange={e => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {streaming ? (
        <Button
          variant="outlined"
          color="secondary"
          startIcon={<StopIcon />}
          onClick={onStop}
        >
          Stop
        </Button>
      ) : (
        <Button
          variant="contained"
          color="primary"
          startIcon={<SendIcon />}
          onClick={send}
          disabled={!canSend}
        >
          Send
        </Button>
      )}
    </Box>
  );
}
