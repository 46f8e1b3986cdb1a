/** The resource endpoints' handlers: reads (list, get), writes (create, update, patch, delete) and server-side apply. */
export type { ResourceRequest } from './request';
export { handleGet, handleList } from './read';
export {
  handleCreate,
  handleDelete,
  handleDeleteCollection,
  handlePatch,
  handleUpdate,
} from './write';
