import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { ConversationStore } from './ConversationStore';

/** Id of the scheduled task that deletes expired conversations. */
export const RETENTION_TASK_ID = 'kaito-conversations-retention';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes conversations not updated for `retentionDays`, at start-up and
 * every hour after (one backend instance at a time: the scheduler's global
 * scope). Nothing is scheduled when `retentionDays` is 0.
 */
export async function scheduleConversationRetention(options: {
  scheduler: SchedulerService;
  store: ConversationStore;
  retentionDays: number;
  logger: LoggerService;
}) {
  const { scheduler, store, retentionDays, logger } = options;
  if (retentionDays <= 0) return;
  await scheduler.scheduleTask({
    id: RETENTION_TASK_ID,
    frequency: { hours: 1 },
    timeout: { minutes: 10 },
    scope: 'global',
    fn: async () => {
      const cutoff = new Date(Date.now() - retentionDays * DAY_MS);
      const deleted = await store.deleteUpdatedBefore(cutoff);
      if (deleted > 0) {
        logger.info(
          `Deleted ${deleted} conversations not updated for ${retentionDays} days (kaito.conversations.retentionDays)`,
        );
      }
    },
  });
}
