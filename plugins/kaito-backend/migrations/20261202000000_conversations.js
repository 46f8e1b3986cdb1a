/**
 * Saved chat conversations, one row per conversation, owned by one user and
 * scoped to one catalog entity.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kaito_conversations', table => {
    table.comment('Chat conversations saved by the KAITO chat card');
    table.string('id', 36).primary().comment('Random UUID');
    table
      .string('owner_ref', 255)
      .notNullable()
      .comment('User entity ref of the owner');
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment('Catalog entity the conversation belongs to');
    table.string('title', 255).notNullable();
    table
      .text('messages', 'longtext')
      .notNullable()
      .comment('JSON array of messages');
    table.text('settings').nullable().comment('JSON chat settings');
    table.integer('message_count').notNullable();
    table
      .integer('size_bytes')
      .notNullable()
      .comment('UTF-8 bytes of title, messages and settings as JSON');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(
      ['owner_ref', 'entity_ref', 'updated_at'],
      'kaito_conv_owner_entity_idx',
    );
    table.index(['updated_at'], 'kaito_conv_updated_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kaito_conversations');
};
