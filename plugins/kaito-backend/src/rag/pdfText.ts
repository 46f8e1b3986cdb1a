import { Worker } from 'node:worker_threads';
import { KaitoHttpError } from '../service/errors';

/**
 * Runs in a worker thread: unpdf (Mozilla's PDF.js, serverless build) reads
 * every page's text. unpdf loads PDF.js as an ES module, so the worker
 * imports it from its resolved path in plain Node.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  try {
    const { extractText, getDocumentProxy } = require(workerData.unpdf);
    const pdf = await getDocumentProxy(workerData.data, { verbosity: 0 });
    const { text } = await extractText(pdf, { mergePages: true });
    parentPort.postMessage({ text });
  } catch (e) {
    parentPort.postMessage({ error: String((e && e.message) || e).slice(0, 200) });
  }
})();
`;

/** How long one PDF may take. */
const PDF_TIMEOUT_MS = 30_000;

/**
 * The text of a PDF, extracted off the event loop in a worker thread with a
 * deadline and a memory cap, so a hostile or huge PDF cannot stall the
 * backend. A file PDF.js cannot read is a 400.
 */
export function pdfText(name: string, data: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        unpdf: require.resolve('unpdf'),
        data: new Uint8Array(data),
      },
      resourceLimits: { maxOldGenerationSizeMb: 256 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    let timer: NodeJS.Timeout | undefined = undefined;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new KaitoHttpError(
              422,
              'pdf_unreadable',
              `PDF "${name}" took longer than ${
                PDF_TIMEOUT_MS / 1000
              } s to read; upload its text instead`,
            ),
          ),
        ),
      PDF_TIMEOUT_MS,
    );
    worker.on('message', (m: { text?: string; error?: string }) =>
      settle(() => {
        if (typeof m.text === 'string') resolve(m.text);
        else
          reject(
            new KaitoHttpError(
              400,
              'invalid_pdf',
              `File "${name}" is not a readable PDF (${m.error}); check the file`,
            ),
          );
      }),
    );
    worker.on('error', (error: Error) =>
      settle(() =>
        reject(
          new KaitoHttpError(
            422,
            'pdf_unreadable',
            `PDF "${name}" could not be read (${String(error.message).slice(
              0,
              120,
            )}); upload its text instead`,
          ),
        ),
      ),
    );
  });
}
