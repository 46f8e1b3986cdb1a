import { KaitoHttpError } from '../service/errors';
import { pdfText } from './pdfText';

/** The types a file may be indexed as. */
export const ACCEPTED_TYPES = [
  'text/plain',
  'text/markdown',
  'application/pdf',
] as const;
export type AcceptedType = (typeof ACCEPTED_TYPES)[number];

const ALIASES: Record<string, AcceptedType> = {
  'text/plain': 'text/plain',
  'text/markdown': 'text/markdown',
  'text/x-markdown': 'text/markdown',
  'application/pdf': 'application/pdf',
};
const EXTENSIONS: Record<string, AcceptedType> = {
  txt: 'text/plain',
  text: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  pdf: 'application/pdf',
};

/**
 * The type a file is read as: its declared MIME type, or, when the browser
 * declared none or a generic one, its extension. Anything else is a 415
 * naming the accepted types.
 */
export function fileType(filename: string, mimeType: string): AcceptedType {
  const declared = mimeType.split(';')[0].trim().toLowerCase();
  if (ALIASES[declared]) return ALIASES[declared];
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  if (
    (declared === '' || declared === 'application/octet-stream') &&
    EXTENSIONS[ext]
  ) {
    return EXTENSIONS[ext];
  }
  throw new KaitoHttpError(
    415,
    'unsupported_media_type',
    `File "${filename.slice(0, 100)}" is ${
      declared || 'of no declared type'
    }; only ${ACCEPTED_TYPES.join(
      ', ',
    )} files can be indexed (.txt, .md, .pdf)`,
    { accepted: [...ACCEPTED_TYPES] },
  );
}

/** The text of a file of an accepted type; a PDF without a text layer is a 422 that says so. */
export async function extractText(
  filename: string,
  type: AcceptedType,
  data: Buffer,
): Promise<string> {
  const name = filename.slice(0, 100);
  let text: string;
  if (type === 'application/pdf') {
    text = await pdfText(name, data);
    if (!text.trim()) {
      throw new KaitoHttpError(
        422,
        'pdf_without_text',
        `PDF "${name}" has no text to index (a scanned or image-only PDF has no text layer); run it through OCR first, or upload its text`,
      );
    }
  } else {
    text = new TextDecoder('utf-8', { fatal: false })
      .decode(data)
      .replace(/^\uFEFF/, '');
    if (text.includes('\u0000')) {
      throw new KaitoHttpError(
        415,
        'unsupported_media_type',
        `File "${name}" is declared ${type} but holds binary data; upload the text itself`,
        { accepted: [...ACCEPTED_TYPES] },
      );
    }
  }
  if (!text.trim()) {
    throw new KaitoHttpError(
      400,
      'empty_document',
      `File "${name}" is empty; there is nothing to index`,
    );
  }
  return text;
}
