import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import request from 'supertest';
import { component } from './entities';
import { KaitoTestBackend } from './backend';

/** A Component pointing at RAGEngine `<namespace>/<ragengine>` (and an index, when given). */
export function ragEntity(
  name: string,
  ragengine = `default/${name}`,
  annotations: Record<string, string> = {},
) {
  return component(name, { 'kaito.sh/ragengine': ragengine, ...annotations });
}

/** A multipart upload of files in the `files` field. */
export function upload(
  kb: KaitoTestBackend,
  path: string,
  files: Array<{ name: string; type?: string; data: string | Buffer }>,
  user?: string,
  field = 'files',
) {
  let r = request(kb.server)
    .post(path)
    .set(
      'Authorization',
      mockCredentials.user.header(user ?? 'user:default/mock'),
    );
  for (const f of files) {
    r = r.attach(field, Buffer.from(f.data), {
      filename: f.name,
      ...(f.type ? { contentType: f.type } : {}),
    });
  }
  return r;
}

/**
 * A minimal valid one-page PDF with each line as text (Helvetica), xref
 * offsets computed; no lines gives a PDF without a text layer.
 */
export function minimalPdf(lines: string[]): Buffer {
  const esc = (s: string) => s.replace(/[\\()]/g, m => `\\${m}`);
  const content = `BT /F1 12 Tf 72 720 Td 14 TL ${lines
    .map(l => `(${esc(l)}) Tj T*`)
    .join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(
      content,
    )} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets
    .map(o => `${String(o).padStart(10, '0')} 00000 n \n`)
    .join('')}`;
  out += `trailer\n<< /Size ${
    objects.length + 1
  } /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A policy where user:default/viewer may read and chat, not manage RAG documents; everyone else anything. */
export const viewerCannotManageRag: PermissionPolicy = {
  async handle(req, user) {
    if (
      req.permission.name === 'kaito.ragengine.manage' &&
      user?.info.userEntityRef === 'user:default/viewer'
    )
      return { result: AuthorizeResult.DENY };
    return { result: AuthorizeResult.ALLOW };
  },
};
