import busboy from 'busboy';
import { Request } from 'express';
import { KaitoHttpError } from '../service/errors';
import { RagLimits } from './settings';

/** One uploaded file, read whole (bounded by kaito.rag.maxFileBytes). */
export interface UploadedFile {
  filename: string;
  mimeType: string;
  data: Buffer;
}

/** The form field that carries files. */
export const FILES_FIELD = 'files';

function tooLarge(message: string, limit: string) {
  return new KaitoHttpError(413, 'limit_exceeded', message, { limit });
}

/**
 * Reads a multipart/form-data upload with busboy: files in the `files`
 * field (other fields are ignored). Each refusal names the limit and its
 * config key: more than `kaito.rag.maxFiles` files, a file larger than
 * `kaito.rag.maxFileBytes`, more than `kaito.rag.maxTotalBytes` in all.
 */
export function readUploads(
  req: Request,
  limits: RagLimits,
): Promise<UploadedFile[]> {
  const declared = Number(req.headers['content-length']);
  // Room for the multipart framing of every file.
  const maxBody = limits.maxTotalBytes + 64 * 1024;
  if (Number.isFinite(declared) && declared > maxBody) {
    return Promise.reject(
      tooLarge(
        `The upload is ${declared} bytes; at most ${limits.maxTotalBytes} bytes of files are accepted in one request (kaito.rag.maxTotalBytes). Upload fewer or smaller files`,
        'maxTotalBytes',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: {
          files: limits.maxFiles,
          fileSize: limits.maxFileBytes,
          fields: 20,
          fieldSize: 64 * 1024,
        },
      });
    } catch (error) {
      reject(
        new KaitoHttpError(
          400,
          'invalid_request',
          `The upload is not valid multipart/form-data (${
            (error as Error).message
          }); send the files in a form field "${FILES_FIELD}"`,
        ),
      );
      return;
    }
    const files: UploadedFile[] = [];
    let total = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      req.unpipe(bb);
      // Drain the rest so the answer can be sent on this connection.
      req.resume();
      reject(error);
    };
    bb.on('file', (field, stream, info) => {
      if (failed || field !== FILES_FIELD) {
        stream.resume();
        if (!failed && field !== FILES_FIELD) {
          fail(
            new KaitoHttpError(
              400,
              'invalid_request',
              `The upload has a file in the field "${field.slice(
                0,
                40,
              )}"; send files in the field "${FILES_FIELD}"`,
            ),
          );
        }
        return;
      }
      const filename = info.filename || `file-${files.length + 1}`;
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        if (failed) return;
        total += c.length;
        if (total > limits.maxTotalBytes) {
          fail(
            tooLarge(
              `The files add up to more than ${limits.maxTotalBytes} bytes (kaito.rag.maxTotalBytes); upload fewer or smaller files`,
              'maxTotalBytes',
            ),
          );
          return;
        }
        chunks.push(c);
      });
      stream.on('limit', () =>
        fail(
          tooLarge(
            `File "${filename.slice(0, 100)}" is larger than ${
              limits.maxFileBytes
            } bytes (kaito.rag.maxFileBytes); split it or upload a smaller file`,
            'maxFileBytes',
          ),
        ),
      );
      // A body cut off inside a file fails the file stream too.
      stream.on('error', (error: Error) =>
        fail(
          new KaitoHttpError(
            400,
            'invalid_request',
            `The upload ended inside file "${filename.slice(
              0,
              100,
            )}" (${error.message.slice(0, 120)}); send it again`,
          ),
        ),
      );
      stream.on('end', () => {
        if (!failed) {
          files.push({
            filename,
            mimeType: info.mimeType ?? '',
            data: Buffer.concat(chunks),
          });
        }
      });
    });
    bb.on('filesLimit', () =>
      fail(
        tooLarge(
          `The upload has more than ${limits.maxFiles} files (kaito.rag.maxFiles); upload at most ${limits.maxFiles} at a time`,
          'maxFiles',
        ),
      ),
    );
    bb.on('error', (error: Error) =>
      fail(
        new KaitoHttpError(
          400,
          'invalid_request',
          `The upload is not valid multipart/form-data (${error.message.slice(
            0,
            120,
          )})`,
        ),
      ),
    );
    bb.on('close', () => {
      if (failed) return;
      if (files.length === 0) {
        reject(
          new KaitoHttpError(
            400,
            'invalid_request',
            `The upload has no files; send them in the form field "${FILES_FIELD}"`,
          ),
        );
        return;
      }
      resolve(files);
    });
    // The caller went away mid-upload: settle, so nothing waits on it.
    const cutOff = () =>
      fail(
        new KaitoHttpError(
          400,
          'invalid_request',
          'The upload was cut off; send it again',
        ),
      );
    req.on('error', cutOff);
    req.on('aborted', cutOff);
    req.pipe(bb);
  });
}
