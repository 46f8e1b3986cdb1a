/**
 * Web library for the KAITO Backstage plugins: the API client over the `kaito-backend` routes
 * and the React hooks built on it.
 *
 * @packageDocumentation
 */
export * from './api';
export * from './api/chat';
export * from './api/catalog';
export { useChatSession } from './hooks/useChatSession';
export type {
  KaitoChatSession,
  KaitoChatSessionMessage,
  KaitoChatSessionOptions,
} from './hooks/useChatSession';
export { useChatConversations } from './hooks/useChatConversations';
export type { KaitoChatConversationsState } from './hooks/useChatConversations';
export { useChatModels } from './hooks/useChatModels';
export type { KaitoChatModelsState } from './hooks/useChatModels';
export { useChatReadiness } from './hooks/useChatReadiness';
export type { KaitoChatReadiness } from './hooks/useChatReadiness';
export * from './hooks';
