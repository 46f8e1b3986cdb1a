import { HttpError, notFoundIndex } from './errors';
import type { IncomingDoc, RagIndexStore } from './indexStore';

/**
 * `POST /persist/{index}` and `POST /load/{index}`: the engine saves an index
 * under DEFAULT_VECTOR_DB_PERSIST_DIR (`storage`) and loads it back. The
 * simulated "disk" belongs to the pod (an emptyDir, KAITO's default when no
 * persistentVolume is set), so it goes with the pod.
 */
export const PERSIST_DIR = 'storage';

export class RagDisk {
  private readonly saved = new Map<
    string,
    Array<IncomingDoc & { doc_id: string }>
  >();

  constructor(private readonly indexes: RagIndexStore) {}

  persist(name: string, path: string | null): { message: string } {
    if (!this.indexes.has(name)) throw notFoundIndex(name);
    // The default directory gets the index name appended; a given path is used as is.
    const target =
      path === null || path === PERSIST_DIR ? `${PERSIST_DIR}/${name}` : path;
    this.saved.set(target, this.indexes.snapshot(name));
    return { message: `Successfully persisted index ${name} to ${target}.` };
  }

  load(
    name: string,
    path: string | null,
    overwrite: boolean,
  ): { message: string } {
    const source = path ?? `${PERSIST_DIR}/${name}`;
    const docs = this.saved.get(source);
    if (!docs) throw new HttpError(404, `Path does not exist: ${source}`);
    if (this.indexes.has(name) && !overwrite) {
      // The engine raises a 409 inside its own try block, which turns it into this 500.
      throw new HttpError(
        500,
        `Loading failed: 409: Index '${name}' already exists. Use a different name or delete the existing index first.`,
      );
    }
    this.indexes.restore(name, docs);
    return { message: `Successfully loaded index ${name} from ${source}.` };
  }
}
