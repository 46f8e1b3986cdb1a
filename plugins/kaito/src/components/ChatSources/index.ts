export { ChatSources, sourceTitle } from './ChatSources';
