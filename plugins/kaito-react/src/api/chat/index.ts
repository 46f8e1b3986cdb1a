export { kaitoChatApiRef } from './KaitoChatApi';
export type {
  KaitoChatApi,
  KaitoChatModel,
  KaitoChatRequestOptions,
} from './KaitoChatApi';
export { KaitoChatClient } from './KaitoChatClient';
export {
  KaitoChatStreamError,
  describeChatError,
  parseRetryAfter,
} from './chatErrors';
export type { KaitoChatErrorInfo } from './chatErrors';
