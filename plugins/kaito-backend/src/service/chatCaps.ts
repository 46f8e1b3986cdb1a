import { Config } from '@backstage/config';
import {
  ChatSchemaLimits,
  DEFAULT_MAX_CHAT_CONTENT_LENGTH,
  DEFAULT_MAX_CHOICES,
  DEFAULT_MAX_STOP_SEQUENCES,
  DEFAULT_MAX_TOOLS,
  DEFAULT_MAX_TOP_LOGPROBS,
} from '@kaito-backstage/plugin-kaito-common';

/** Caps on the OpenAI fields of a chat request; every key is under `kaito.chat`. */
export type ChatCaps = Required<Omit<ChatSchemaLimits, 'maxMessages'>>;

export const DEFAULT_CHAT_CAPS: ChatCaps = {
  maxContentLength: DEFAULT_MAX_CHAT_CONTENT_LENGTH,
  maxTopLogprobs: DEFAULT_MAX_TOP_LOGPROBS,
  maxStopSequences: DEFAULT_MAX_STOP_SEQUENCES,
  maxTools: DEFAULT_MAX_TOOLS,
  maxChoices: DEFAULT_MAX_CHOICES,
};

/** The range each key accepts (OpenAI's own limits where it has one). */
const RANGES: Record<keyof ChatCaps, [min: number, max: number]> = {
  maxContentLength: [1, Number.MAX_SAFE_INTEGER],
  maxTopLogprobs: [0, 20],
  maxStopSequences: [0, 16],
  maxTools: [0, 1024],
  maxChoices: [1, 128],
};

/** Reads `kaito.chat.*`; a value that is not a whole number in range fails startup naming the key. */
export function readChatCaps(config: Config): ChatCaps {
  const c = config.getOptionalConfig('kaito.chat');
  const out = { ...DEFAULT_CHAT_CAPS };
  for (const key of Object.keys(DEFAULT_CHAT_CAPS) as (keyof ChatCaps)[]) {
    const value = c?.getOptionalNumber(key);
    if (value === undefined) continue;
    const [min, max] = RANGES[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(
        `kaito.chat.${key} must be a whole number from ${min} to ${max}, got ${value}`,
      );
    }
    out[key] = value;
  }
  return out;
}
