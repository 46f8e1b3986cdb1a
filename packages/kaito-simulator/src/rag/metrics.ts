/**
 * The engine's Prometheus counters (`ragengine/metrics/prometheus_metrics.py`
 * names, `status` = success | failure) and its in-flight gauge.
 */

export const RAG_COUNTERS = {
  chat: [
    'rag_chat_requests_total',
    "Count of successful/failed calling '/v1/chat/completions' requests",
  ],
  index: [
    'rag_index_requests_total',
    "Count of successful/failed calling '/index' requests",
  ],
  indexes: [
    'rag_indexes_requests_total',
    "Count of successful/failed calling '/indexes' requests",
  ],
  listDocuments: [
    'rag_indexes_document_requests_total',
    "Count of successful/failed calling get '/indexes/{index_name}/documents' requests",
  ],
  updateDocuments: [
    'rag_indexes_update_document_requests_total',
    "Count of successful/failed calling post '/indexes/{index_name}/documents' requests",
  ],
  deleteDocuments: [
    'rag_indexes_delete_document_requests_total',
    "Count of successful/failed calling '/indexes/{index_name}/documents/delete' requests",
  ],
  retrieve: [
    'rag_indexes_retrieve_requests_total',
    "Count of successful/failed calling post '/retrieve' requests",
  ],
  persist: [
    'rag_persist_requests_total',
    "Count of successful/failed calling '/persist/{index_name}' requests",
  ],
  load: [
    'rag_load_requests_total',
    "Count of successful/failed calling '/load/{index_name}' requests",
  ],
  deleteIndex: [
    'rag_delete_index_requests_total',
    "Count of successful/failed calling delete '/indexes/{index_name}' requests",
  ],
} as const;

export type RagOperation = keyof typeof RAG_COUNTERS;

export class RagMetrics {
  private readonly counts = new Map<string, number>();
  running = 0;

  record(op: RagOperation, ok: boolean): void {
    const key = `${op}/${ok ? 'success' : 'failure'}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Prometheus text exposition (version 0.0.4). */
  render(): string {
    const lines: string[] = [];
    let e2e = { success: 0, failure: 0 };
    for (const [op, [name, help]] of Object.entries(RAG_COUNTERS)) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const status of ['success', 'failure'] as const) {
        const n = this.counts.get(`${op}/${status}`) ?? 0;
        e2e = { ...e2e, [status]: e2e[status] + n };
        lines.push(`${name}{status="${status}"} ${n}.0`);
      }
    }
    lines.push(
      '# HELP e2e_request_total Total number of all processed requests',
      '# TYPE e2e_request_total counter',
      `e2e_request_total{status="success"} ${e2e.success}.0`,
      `e2e_request_total{status="failure"} ${e2e.failure}.0`,
      '# HELP num_requests_running Number of requests currently being processed',
      '# TYPE num_requests_running gauge',
      `num_requests_running ${this.running}.0`,
    );
    return `${lines.join('\n')}\n`;
  }
}
