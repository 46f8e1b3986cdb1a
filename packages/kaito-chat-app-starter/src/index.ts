/**
 * Reference copy of the kaito-chat-app template's starter app (templates/kaito-chat-app/skeleton).
 *
 * @packageDocumentation
 */
export {
  loadConfig,
  ConfigError,
  type AppConfig,
  type ChatProvider,
} from './config';
export { ChatService, type ChatMessage } from './chat';
export { createHandler, startServer } from './server';
