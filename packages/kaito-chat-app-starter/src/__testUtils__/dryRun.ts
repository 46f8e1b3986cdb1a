import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import githubModule from '@backstage/plugin-scaffolder-backend-module-github';
import { promises as fs } from 'fs';
import path from 'path';
import request from 'supertest';
import { parse } from 'yaml';

export const TEMPLATE_DIR = path.resolve(
  __dirname,
  '../../../../templates/kaito-chat-app',
);

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full, base)));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

export interface DryRunResult {
  status: number;
  body: any;
  /** Rendered files by path (text). */
  files: Map<string, string>;
  /** Log messages in order. */
  log: string[];
}

/** A real scaffolder backend (startTestBackend) that dry-runs the kaito-chat-app template. */
export async function startScaffolder() {
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      githubModule,
      catalogServiceMock.factory({ entities: [] }),
    ],
  });
  const templateText = await fs.readFile(
    path.join(TEMPLATE_DIR, 'template.yaml'),
    'utf8',
  );
  const directoryContents = await Promise.all(
    (
      await listFiles(TEMPLATE_DIR)
    ).map(async p => ({
      path: p,
      base64Content: (
        await fs.readFile(path.join(TEMPLATE_DIR, p))
      ).toString('base64'),
    })),
  );

  async function dryRun(
    values: Record<string, unknown>,
  ): Promise<DryRunResult> {
    const res = await request(backend.server)
      .post('/api/scaffolder/v2/dry-run')
      .set('authorization', mockCredentials.user.header())
      .send({ template: parse(templateText), values, directoryContents });
    const files = new Map<string, string>();
    for (const f of res.body.directoryContents ?? []) {
      files.set(
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      );
    }
    const log = (res.body.log ?? []).map((l: any) => String(l.body?.message));
    return { status: res.status, body: res.body, files, log };
  }

  return { dryRun, stop: () => backend.stop() };
}
