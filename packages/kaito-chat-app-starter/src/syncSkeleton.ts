import { syncSkeleton } from './skeleton';

// yarn workspace @kaito-backstage/kaito-chat-app-starter sync-skeleton
syncSkeleton().then(
  changed => {
    console.log(
      changed.length
        ? `updated in the skeleton: ${changed.join(', ')}`
        : 'skeleton already up to date',
    );
  },
  e => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
