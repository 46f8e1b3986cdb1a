// Behaviour mutations of kaito-node's workspace cache, for
// scripts/mutation/behaviour.js (the behaviours the mutation-testing issue
// named). StrykerJS measures the whole file too (yarn mutation stryker kaito-node).
const CACHE = 'plugins/kaito-node/src/watch/ClusterWorkspaceCache.ts';
const STORES = 'plugins/kaito-node/src/watch/stores.ts';
const VERSION = 'plugins/kaito-node/src/watch/detectWorkspaceVersion.ts';
const REFLECTORS = 'plugins/kaito-node/src/watch/startReflectors.ts';
const tests = 'src/watch/';

module.exports = {
  packageDir: 'plugins/kaito-node',
  timeoutSeconds: 900,
  tests,
  mutants: [
    {
      id: 'cache-unsubscribe-noop',
      file: CACHE,
      what: 'a listener is never unsubscribed',
      find: 'set!.delete(listener);\n      if (set!.size === 0) this.#listeners.delete(ref);',
      replace: '',
    },
    {
      id: 'cache-unsubscribe-keeps-key',
      file: CACHE,
      what: 'an empty listener set keeps the cluster in use',
      find: 'if (set!.size === 0) this.#listeners.delete(ref);',
      replace: '',
    },
    {
      id: 'cache-stop-keeps-watches',
      file: CACHE,
      what: 'stop() does not abort the watches',
      find: 'await Promise.all(Object.values(this.#watches).map(w => w.stop()));',
      replace: '',
    },
    {
      id: 'cache-stop-keeps-version-probe',
      file: VERSION,
      what: 'stop() does not abort version detection',
      find: '        signal,\n        timeoutMs: 10_000,',
      replace: '        timeoutMs: 10_000,',
    },
    {
      id: 'cache-memo-forever',
      file: CACHE,
      what: 'a derived snapshot is reused for ever',
      find: 'if (memo && now - memo.at < 1000 && now >= memo.at) return memo.snapshot;',
      replace: 'if (memo) return memo.snapshot;',
    },
    {
      id: 'cache-memo-never',
      file: CACHE,
      what: 'a derived snapshot is never reused',
      find: 'if (memo && now - memo.at < 1000 && now >= memo.at) return memo.snapshot;',
      replace: '',
    },
    {
      id: 'cache-memo-boundary',
      file: CACHE,
      what: 'the memo is reused for a second and a millisecond',
      find: 'now - memo.at < 1000',
      replace: 'now - memo.at <= 1000',
    },
    {
      id: 'cache-memo-clock-back',
      file: CACHE,
      what: 'a clock that stepped back serves the newer derivation',
      find: ' && now >= memo.at',
      replace: '',
    },
    {
      id: 'cache-memo-not-dropped',
      file: CACHE,
      what: 'a change does not drop the memo',
      find: 'this.#memo.delete(ref);\n    this.#listeners',
      replace: 'this.#listeners',
    },
    {
      id: 'cache-deleted-stays',
      file: STORES,
      what: 'a deleted Workspace stays in the cache',
      find: "if (type === 'DELETED') this.#items.delete(ref);",
      replace: 'if (false) this.#items.delete(ref);',
    },
    {
      id: 'cache-stale-never',
      file: CACHE,
      what: 'the lost-contact message is never shown',
      find: 'stale: Object.values(this.#watches).some(w => w.synced && !w.healthy),',
      replace: 'stale: false,',
    },
    {
      id: 'cache-events-never',
      file: REFLECTORS,
      what: 'core/v1 Events are never watched',
      find: "if (settings.events !== 'none') {",
      replace: 'if (false) {',
    },
    {
      id: 'cache-events-all',
      file: REFLECTORS,
      what: 'every Event is watched instead of Warnings only',
      find: "settings.events === 'warnings' ? 'type=Warning' : undefined",
      replace: 'undefined',
    },
    {
      id: 'cache-events-not-applied',
      file: STORES,
      what: 'an Event does not notify its Workspace',
      find: '        changes.changed(\n          at.kind',
      replace: '        void (\n          at.kind',
    },
    {
      id: 'cache-pods-deleted-stay',
      file: STORES,
      what: 'a deleted pod stays grouped under its Workspace',
      find: "const owner = type === 'DELETED' ? undefined : this.#ownerOf(obj);",
      replace: 'const owner = this.#ownerOf(obj);',
    },
    {
      id: 'cache-start-after-stop',
      file: CACHE,
      what: 'watches start although stop() ran during version detection',
      find: 'if (!detected || this.#stopped.signal.aborted) return;',
      replace: 'if (!detected) return;',
    },
  ],
};
