import { Config } from '@backstage/config';

/** `kaito.conversations.*`: whether conversations are saved, and their bounds. */
export interface ConversationSettingsConfig {
  /** Saved conversations are served (the routes answer 404 when false). */
  enabled: boolean;
  /** Most conversations one user may keep, over all entities. */
  maxPerUser: number;
  /** Most messages in one conversation. */
  maxMessages: number;
  /** Largest conversation (title, messages and settings as UTF-8 JSON), bytes. */
  maxBytes: number;
  /** Conversations not updated for this many days are deleted; 0 keeps them. */
  retentionDays: number;
}

export const DEFAULT_CONVERSATION_SETTINGS: ConversationSettingsConfig = {
  enabled: true,
  maxPerUser: 200,
  maxMessages: 500,
  maxBytes: 1024 * 1024,
  retentionDays: 90,
};

const POSITIVE = ['maxPerUser', 'maxMessages', 'maxBytes'] as const;

/** Reads `kaito.conversations`; a bad value stops the backend with the key named. */
export function readConversationSettings(
  config: Config,
): ConversationSettingsConfig {
  const c = config.getOptionalConfig('kaito.conversations');
  const out = { ...DEFAULT_CONVERSATION_SETTINGS };
  out.enabled = c?.getOptionalBoolean('enabled') ?? out.enabled;
  for (const key of POSITIVE) {
    const value = c?.getOptionalNumber(key);
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(
        `kaito.conversations.${key} must be a positive integer, got ${value}`,
      );
    }
    out[key] = value;
  }
  const retention = c?.getOptionalNumber('retentionDays');
  if (retention !== undefined) {
    if (!Number.isFinite(retention) || retention < 0) {
      throw new Error(
        `kaito.conversations.retentionDays must be 0 (keep forever) or a positive number of days, got ${retention}`,
      );
    }
    out.retentionDays = retention;
  }
  return out;
}
