import type { KaitoMessage } from './types';

/** KAITO caps the messages it surfaces at 256 characters; so do we. */
export const MESSAGE_CAP = 256;

const SECRETS: Array<[RegExp, string]> = [
  [/hf_[A-Za-z0-9]{8,}/g, 'hf_***'],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1***'],
  [
    /((?:HF_TOKEN|HUGGING_FACE_HUB_TOKEN|api[_-]?key|token|password)\s*[=:]\s*)\S+/gi,
    '$1***',
  ],
  [/([?&](?:sig|se|sv|token)=)[^&\s]+/gi, '$1***'],
];

/** Removes Hugging Face tokens, bearer tokens, `token=` values and SAS signatures. */
export function redact(text: string): string {
  let out = text;
  for (const [re, to] of SECRETS) out = out.replace(re, to);
  return out;
}

/** A one-line, redacted excerpt for a sentence (whitespace collapsed). */
export function clip(text: string, max = 240): string {
  const t = redact(text.replace(/\s+/g, ' ').trim());
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** KAITO's own words: verbatim apart from redaction, capped at {@link MESSAGE_CAP}. */
export function verbatim(source: string, text: string): KaitoMessage {
  const t = redact(text.trim());
  const truncated = t.length > MESSAGE_CAP;
  return {
    source,
    text: truncated ? `${t.slice(0, MESSAGE_CAP)}…` : t,
    truncated,
  };
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
