import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type {
  Conversation,
  ConversationMessage,
  ConversationSettings,
  ConversationSummary,
} from '@kaito-backstage/plugin-kaito-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';

const TABLE = 'kaito_conversations';

const migrationsDir = resolvePackagePath(
  '@kaito-backstage/plugin-kaito-backend',
  'migrations',
);

interface Row {
  id: string;
  owner_ref: string;
  entity_ref: string;
  title: string;
  messages: string;
  settings: string | null;
  message_count: number;
  size_bytes: number;
  created_at: Date | string | number;
  updated_at: Date | string | number;
}

/** Who asks and about which entity: every query is scoped to both. */
export interface ConversationScope {
  ownerRef: string;
  entityRef: string;
}

/** What is stored for a conversation, already validated and within limits. */
export interface StoredConversation {
  title: string;
  messages: ConversationMessage[];
  settings?: ConversationSettings;
  sizeBytes: number;
}

const SUMMARY_COLUMNS = [
  'id',
  'entity_ref',
  'title',
  'message_count',
  'created_at',
  'updated_at',
] as const;

/** SQLite hands timestamps back as epoch ms, PostgreSQL as Date. */
function iso(value: Date | string | number): string {
  return new Date(value).toISOString();
}

function summary(row: Pick<Row, (typeof SUMMARY_COLUMNS)[number]>) {
  return {
    id: row.id,
    title: row.title,
    entityRef: row.entity_ref,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    messageCount: Number(row.message_count),
  } satisfies ConversationSummary;
}

function full(row: Omit<Row, 'owner_ref'>): Conversation {
  return {
    ...summary(row),
    messages: JSON.parse(row.messages),
    ...(row.settings ? { settings: JSON.parse(row.settings) } : {}),
  };
}

/**
 * Saved conversations in the plugin's database (SQLite or PostgreSQL, through
 * the Backstage `DatabaseService`). Every read and write is scoped to the
 * owner and the entity, so one user's conversations are invisible to others.
 */
export class ConversationStore {
  static async create(database: DatabaseService): Promise<ConversationStore> {
    const db = await database.getClient();
    if (!database.migrations?.skip) {
      await db.migrate.latest({ directory: migrationsDir });
    }
    return new ConversationStore(db);
  }

  private constructor(private readonly db: Knex) {}

  async list(scope: ConversationScope): Promise<ConversationSummary[]> {
    const rows = await this.db<Row>(TABLE)
      .where({ owner_ref: scope.ownerRef, entity_ref: scope.entityRef })
      .orderBy([
        { column: 'updated_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .select(...SUMMARY_COLUMNS);
    return rows.map(summary);
  }

  async get(
    scope: ConversationScope,
    id: string,
  ): Promise<Conversation | undefined> {
    const row = await this.db<Row>(TABLE)
      .where({ id, owner_ref: scope.ownerRef, entity_ref: scope.entityRef })
      .first();
    return row ? full(row) : undefined;
  }

  /**
   * Inserts a conversation unless the owner already has `maxPerUser`; then
   * resolves `undefined` and stores nothing.
   */
  async insert(
    scope: ConversationScope,
    value: StoredConversation,
    maxPerUser: number,
  ): Promise<Conversation | undefined> {
    return this.db.transaction(async tx => {
      const [{ n }] = await tx(TABLE)
        .where({ owner_ref: scope.ownerRef })
        .count({ n: '*' });
      if (Number(n) >= maxPerUser) return undefined;
      const now = new Date();
      const row: Row = {
        id: randomUUID(),
        owner_ref: scope.ownerRef,
        entity_ref: scope.entityRef,
        title: value.title,
        messages: JSON.stringify(value.messages),
        settings: value.settings ? JSON.stringify(value.settings) : null,
        message_count: value.messages.length,
        size_bytes: value.sizeBytes,
        created_at: now,
        updated_at: now,
      };
      await tx<Row>(TABLE).insert(row);
      return full(row);
    });
  }

  /**
   * Replaces the content of a conversation read before (`existing`);
   * `undefined` when the scope no longer has it.
   */
  async replace(
    scope: ConversationScope,
    existing: Pick<Conversation, 'id' | 'createdAt'>,
    value: StoredConversation,
  ): Promise<Conversation | undefined> {
    const row: Omit<Row, 'owner_ref' | 'created_at'> = {
      id: existing.id,
      entity_ref: scope.entityRef,
      title: value.title,
      messages: JSON.stringify(value.messages),
      settings: value.settings ? JSON.stringify(value.settings) : null,
      message_count: value.messages.length,
      size_bytes: value.sizeBytes,
      updated_at: new Date(),
    };
    const { id, entity_ref, ...update } = row;
    const updated = await this.db<Row>(TABLE)
      .where({ id, owner_ref: scope.ownerRef, entity_ref })
      .update(update);
    return updated
      ? full({ ...row, created_at: existing.createdAt })
      : undefined;
  }

  /** True when the scope had the conversation. */
  async delete(scope: ConversationScope, id: string): Promise<boolean> {
    const deleted = await this.db<Row>(TABLE)
      .where({ id, owner_ref: scope.ownerRef, entity_ref: scope.entityRef })
      .delete();
    return deleted > 0;
  }

  /** Deletes every conversation last updated before `cutoff`; returns how many. */
  async deleteUpdatedBefore(cutoff: Date): Promise<number> {
    return this.db<Row>(TABLE).where('updated_at', '<', cutoff).delete();
  }
}
