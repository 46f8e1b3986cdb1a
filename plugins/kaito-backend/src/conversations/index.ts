import {
  DatabaseService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConversationStore } from './ConversationStore';
import { scheduleConversationRetention } from './retention';
import { readConversationSettings } from './settings';

/**
 * Reads `kaito.conversations`; when enabled, migrates the plugin database
 * and schedules the retention cleanup.
 */
export async function createConversations(options: {
  config: Config;
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
}) {
  const settings = readConversationSettings(options.config);
  if (!settings.enabled) return { settings };
  const store = await ConversationStore.create(options.database);
  await scheduleConversationRetention({
    scheduler: options.scheduler,
    store,
    retentionDays: settings.retentionDays,
    logger: options.logger,
  });
  return { settings, store };
}
