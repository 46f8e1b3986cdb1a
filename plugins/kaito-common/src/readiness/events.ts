import type { KubeEvent } from '../types/kube';
import { classifyText, type Signal } from './signal';

/** Warning events that point at a known failure. */
export function eventSignals(events: KubeEvent[] | undefined): Signal[] {
  const out: Signal[] = [];
  for (const e of events ?? []) {
    if (!e || e.type !== 'Warning') continue;
    const kind = classifyText(`${e.reason ?? ''} ${e.message ?? ''}`);
    if (!kind) continue;
    out.push({
      kind,
      source: `event ${e.reason ?? ''} on ${
        e.involvedObject?.kind ?? 'object'
      } ${e.involvedObject?.name ?? ''}`.trim(),
      detail: (e.message ?? '').trim(),
      at: e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp,
      ...(typeof e.count === 'number' && e.count > 1
        ? { restarts: e.count }
        : {}),
    });
  }
  return out;
}
