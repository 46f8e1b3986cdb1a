import type { KaitoCatalogModel } from '@kaito-backstage/plugin-kaito-react';

const RUNTIME_NAMES: Record<string, string> = {
  vllm: 'vLLM',
  transformers: 'Transformers',
};
const TUNING_NAMES: Record<string, string> = { lora: 'LoRA', qlora: 'QLoRA' };

/** "128k", "4k", "2,048" tokens. */
export function formatContext(tokens: number): string {
  return tokens >= 1024 && tokens % 1024 === 0
    ? `${tokens / 1024}k`
    : tokens.toLocaleString('en-US');
}

/** "7.2 GiB weights · 128k context · vLLM, Transformers · tuning: LoRA, QLoRA · gated". */
export function modelFacts(m: KaitoCatalogModel): string {
  const parts = [
    `${m.weightSizeGiB} GiB weights${
      m.quantization ? ` (${m.quantization})` : ''
    }`,
    `${formatContext(m.contextLength)} context`,
    m.runtimes.map(r => RUNTIME_NAMES[r] ?? r).join(', '),
    m.tuningMethods.length
      ? `tuning: ${m.tuningMethods.map(t => TUNING_NAMES[t] ?? t).join(', ')}`
      : 'no tuning',
  ];
  if (m.gated) parts.push('gated');
  return parts.join(' · ');
}

/** Text the search matches: the id, the served name, the task, the runtimes, "gated". */
export function searchText(m: KaitoCatalogModel): string {
  return [
    m.name,
    m.servedName,
    m.task,
    ...m.runtimes,
    ...m.tuningMethods,
    m.gated ? 'gated' : '',
  ].join(' ');
}
