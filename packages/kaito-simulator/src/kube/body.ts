import type { IncomingMessage } from 'node:http';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { badRequest, tooLarge, unsupportedMediaType } from './errors';

/** The API server's request body limit (`MaxRequestBodyBytes`, 3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Reads a request body, refusing (413) anything over the limit without buffering it all. */
export function readBody(
  req: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => !failed && resolve(Buffer.concat(chunks)));
    req.on(
      'error',
      err =>
        !failed &&
        reject(badRequest(`error reading request body: ${err.message}`)),
    );
  });
}

export function mediaType(req: IncomingMessage): string {
  return String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

export const WRITE_MEDIA_TYPES = ['application/json', 'application/yaml'];
export const PATCH_MEDIA_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

function yamlMessage(err: unknown): string {
  if (err instanceof YAMLParseError) {
    const line = err.linePos?.[0]?.line;
    const first = err.message
      .split('\n')[0]
      .replace(/ at line \d+, column \d+:?$/, '');
    return `yaml: ${line ? `line ${line}: ` : ''}${first}`;
  }
  return `yaml: ${err instanceof Error ? err.message : String(err)}`;
}

/** Parses JSON, reporting errors the way the API server's decoder does. */
export function parseJson(text: string, context: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`${context}: ${(e as Error).message}`);
  }
}

/** Parses one YAML (or JSON, which is YAML) document. */
export function parseYamlDocument(text: string, context: string): unknown {
  try {
    return parseYaml(text, {
      uniqueKeys: true,
      maxAliasCount: 50,
      prettyErrors: false,
    });
  } catch (e) {
    throw badRequest(`${context}: ${yamlMessage(e)}`);
  }
}

/** Decodes a create/update body by Content-Type. */
export function decodeObjectBody(buf: Buffer, type: string): unknown {
  const text = buf.toString('utf8');
  if (type === 'application/json') {
    return parseJson(text, "couldn't get version/kind; json parse error");
  }
  if (type === 'application/yaml') {
    return parseYamlDocument(text, 'error converting YAML to JSON');
  }
  // Protobuf needs schemas this simulator does not carry; a missing header means octet-stream.
  throw unsupportedMediaType(WRITE_MEDIA_TYPES);
}
