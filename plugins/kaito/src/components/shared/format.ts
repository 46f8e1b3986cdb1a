/** "2h 5m", "4m 03s", "12s": a duration for people. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Milliseconds between two ISO times (or now), or undefined when one is missing or invalid. */
export function elapsedMs(
  from: string | undefined,
  to: string | number | undefined,
): number | undefined {
  if (!from || to === undefined) return undefined;
  const a = Date.parse(from);
  const b = typeof to === 'number' ? to : Date.parse(to);
  if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
  return Math.max(0, b - a);
}

/** A percentage written in a text ("42%", "42.5 %"), as 0–100, when there is one. */
export function percentIn(text: string | undefined): number | undefined {
  const match = text?.match(/(\d{1,3}(?:\.\d+)?)\s?%/);
  if (!match) return undefined;
  const value = Number(match[1]);
  return value >= 0 && value <= 100 ? value : undefined;
}
