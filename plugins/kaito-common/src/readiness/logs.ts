import { PATTERNS } from './signal';
import { redact } from './text';
import type { ContainerLogTail } from './types';

/** Lines kept from the end of a container log. */
export const LOG_TAIL_LINES = 20;

const CAUSES: Array<{
  re: RegExp;
  cause: NonNullable<ContainerLogTail['cause']>;
  text: string;
}> = [
  {
    re: PATTERNS.GATED,
    cause: 'gatedModel',
    text: 'Hugging Face refused the download: the model is gated and no valid token was sent',
  },
  {
    re: /CUDA out of memory|torch\.(cuda\.)?OutOfMemoryError|No available memory for the cache blocks|KV cache.*(larger|exceed)|out of memory/i,
    cause: 'oom',
    text: 'the GPU ran out of memory while loading the model or allocating its KV cache',
  },
  {
    re: /not supported for now|Model architectures? \[?'?[\w]+'?\]? (are|is) not supported|does not recognize this architecture|Unrecognized (model|configuration class)/i,
    cause: 'unsupportedArchitecture',
    text: "the inference engine does not support this model's architecture in this image",
  },
  {
    re: /401 Client Error|Invalid (user )?token|Invalid credentials in Authorization header/i,
    cause: 'gatedModel',
    text: 'Hugging Face rejected the token',
  },
];

/** The last lines of a log, redacted, and the known cause they name, if any. */
export function readContainerLog(log: {
  pod: string;
  container: string;
  text: string;
}): ContainerLogTail {
  const lines = String(log.text ?? '')
    .split(/\r?\n/)
    .map(l => l.trimEnd())
    .filter(Boolean)
    .slice(-LOG_TAIL_LINES)
    .map(redact);
  const joined = lines.join('\n');
  const hit = CAUSES.find(c => c.re.test(joined));
  return {
    pod: log.pod,
    container: log.container,
    lines,
    ...(hit ? { cause: hit.cause, causeText: hit.text } : {}),
  };
}
