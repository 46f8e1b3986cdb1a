import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { mockCredentials } from '@backstage/backend-test-utils';
import { findPostgresBinDir } from '@kaito-backstage/kaito-simulator';
import {
  CONVERSATION_SOURCE_SNIPPET_MAX_CHARS,
  CONVERSATION_SOURCES_MAX,
  type ConversationMessage,
  type ConversationSource,
} from '@kaito-backstage/plugin-kaito-common';
import request from 'supertest';
import {
  entityPath,
  KaitoTestBackend,
  startKaitoTestBackend,
} from './__testUtils__/backend';
import {
  postgresDatabase,
  sqliteDatabase,
  TestDatabase,
} from './__testUtils__/databases';
import { workspaceEntity } from './__testUtils__/entities';
import { clusterConfig } from './__testUtils__/simulator';

const pgBinDir = findPostgresBinDir();
const databases: Array<[string, () => Promise<TestDatabase>]> = [
  ['SQLite', sqliteDatabase],
  ...(pgBinDir
    ? [
        ['PostgreSQL', () => postgresDatabase(pgBinDir)] as [
          string,
          () => Promise<TestDatabase>,
        ],
      ]
    : []),
];

/** A script link (built, so the linter's no-script-url does not flag the test data). */
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');

const source = (
  over: Partial<ConversationSource> = {},
): ConversationSource => ({
  doc_id: 'doc-1',
  title: 'runbook.md',
  url: 'https://backstage.example/docs/default/component/payments/runbook/',
  score: 0.8731,
  snippet: 'Restart the payments pods with kubectl rollout restart.',
  ...over,
});

const answer = (sources: unknown): Record<string, unknown> => ({
  role: 'assistant',
  content: 'Run `kubectl rollout restart`.',
  sources,
});

describe.each(databases)(
  'sources saved with a conversation on %s',
  (_label, create) => {
    let db: TestDatabase;
    let kb: KaitoTestBackend;

    beforeAll(async () => {
      db = await create();
      kb = await startKaitoTestBackend({
        config: {
          ...clusterConfig([
            { name: 'sim', url: 'https://kaito-test.invalid', token: 't' },
          ]),
          backend: { database: db.config },
        },
        entities: [workspaceEntity('phi')],
        extraFeatures: [databaseServiceFactory],
      });
    }, 120_000);

    afterAll(async () => {
      await kb?.stop();
      await db?.stop();
    }, 60_000);

    const base = `${entityPath('phi')}/conversations`;
    const auth = mockCredentials.user.header('user:default/alice');
    const post = (body: unknown) =>
      request(kb.server)
        .post(base)
        .set('Authorization', auth)
        .send(body as object);

    it('stores the sources of an answer and returns them as sent, on create, update and read', async () => {
      const first: ConversationMessage[] = [
        { role: 'user', content: 'How do I restart payments?' },
        answer([
          source(),
          { doc_id: 'doc-2', score: 0.41, snippet: 'On-call rotates weekly.' },
        ]) as unknown as ConversationMessage,
      ];
      const created = await post({ messages: first });
      expect(created.status).toBe(201);
      expect(created.body.messages).toEqual(first);

      const most = Array.from({ length: CONVERSATION_SOURCES_MAX }, (_, i) =>
        source({
          doc_id: `doc-${i}`,
          snippet: 'x'.repeat(CONVERSATION_SOURCE_SNIPPET_MAX_CHARS),
        }),
      );
      const next = [
        ...first,
        { role: 'user', content: 'And the database?' },
        answer(most),
      ];
      const updated = await request(kb.server)
        .put(`${base}/${created.body.id}`)
        .set('Authorization', auth)
        .send({ messages: next });
      expect(updated.status).toBe(200);

      const read = await request(kb.server)
        .get(`${base}/${created.body.id}`)
        .set('Authorization', auth);
      expect(read.status).toBe(200);
      expect(read.body.messages).toEqual(next);
      expect(read.body.messages[3].sources).toHaveLength(
        CONVERSATION_SOURCES_MAX,
      );
    });

    it.each([
      [
        'too many sources',
        answer(
          Array.from({ length: CONVERSATION_SOURCES_MAX + 1 }, () => source()),
        ),
        'messages.0.sources',
        `at most ${CONVERSATION_SOURCES_MAX} sources`,
      ],
      [
        'a snippet too long',
        answer([
          source({
            snippet: 'x'.repeat(CONVERSATION_SOURCE_SNIPPET_MAX_CHARS + 1),
          }),
        ]),
        'messages.0.sources.0.snippet',
        `at most ${CONVERSATION_SOURCE_SNIPPET_MAX_CHARS} characters`,
      ],
      [
        'a score that is not a number',
        answer([source({ score: '0.9' as unknown as number })]),
        'messages.0.sources.0.score',
        'Expected number',
      ],
      [
        'a link that is not a web address',
        answer([source({ url: SCRIPT_URL })]),
        'messages.0.sources.0.url',
        'must be an http(s) URL or a path on the portal',
      ],
      [
        'no doc_id',
        answer([{ score: 1, snippet: 's' }]),
        'messages.0.sources.0.doc_id',
        'Required',
      ],
      [
        'sources that are not a list',
        answer(source()),
        'messages.0.sources',
        'Expected array',
      ],
      [
        'the whole retrieved node',
        answer([
          {
            ...source(),
            node_id: 'n',
            text: 'the whole node',
            metadata: { title: 'runbook.md' },
          },
        ]),
        'messages.0.sources.0',
        "'node_id', 'text', 'metadata'",
      ],
    ])(
      'refuses %s with 400 naming the field and the limit',
      async (_what, message, param, words) => {
        const res = await post({ messages: [message] });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({
          code: 'invalid_request',
          param,
        });
        expect(res.body.error.message).toContain(`${param}: `);
        expect(res.body.error.message).toContain(words);
      },
    );
  },
);
