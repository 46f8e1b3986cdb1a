import { KaitoChatErrorInfo } from '@kaito-backstage/plugin-kaito-react';
import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useState } from 'react';

/** Seconds left until `until` (ms since epoch), counting down once a second. */
function useCountdown(until?: number): number {
  const left = () =>
    until === undefined
      ? 0
      : Math.max(0, Math.ceil((until - Date.now()) / 1000));
  const [seconds, setSeconds] = useState(left);
  useEffect(() => {
    setSeconds(left());
    if (until === undefined) return undefined;
    const timer = setInterval(() => {
      const s = left();
      setSeconds(s);
      if (s === 0) clearInterval(timer);
    }, 1000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [until]);
  return seconds;
}

/** Ends a message with a full stop unless it has its own punctuation. */
function sentence(text: string) {
  const t = text.trim();
  return /[.!?…:]$/.test(t) ? t : `${t}.`;
}

function headline(info: KaitoChatErrorInfo | undefined, message: string) {
  switch (info?.kind) {
    case 'rateLimited':
      return `The model is busy: ${sentence(message)}`;
    case 'notReady':
      return `The workspace is not ready${
        info.phase ? ` (${info.phase})` : ''
      }: ${info.reason ?? message}`;
    case 'stream':
      return `The answer broke off: ${sentence(message)}`;
    default:
      return `The answer failed: ${sentence(message)}`;
  }
}

/**
 * An answer's error, inline in the conversation: what happened, when to
 * retry (429), the readiness reason (not ready), and a Retry button on the
 * last answer.
 */
export function ChatErrorNotice(props: {
  message: string;
  info?: KaitoChatErrorInfo;
  /** When the error happened (ms since epoch), to count down Retry-After. */
  at?: number;
  onRetry?: () => void;
}) {
  const { message, info, at, onRetry } = props;
  const retryAfter = info?.retryAfterSeconds;
  const seconds = useCountdown(
    retryAfter !== undefined && at !== undefined
      ? at + retryAfter * 1000
      : undefined,
  );
  let wait = '';
  if (info?.kind === 'rateLimited') {
    wait =
      seconds > 0 ? ` You can retry in ${seconds} s.` : ' You can retry now.';
  }
  return (
    <Alert
      severity={info?.kind === 'notReady' ? 'info' : 'error'}
      action={
        onRetry ? (
          <Button
            color="inherit"
            size="small"
            onClick={onRetry}
            disabled={seconds > 0}
          >
            Retry
          </Button>
        ) : undefined
      }
    >
      {headline(info, message)}
      {wait}
    </Alert>
  );
}
