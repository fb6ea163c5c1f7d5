import { type Kysely } from 'kysely';
import { isPostgres, type MigrationModule } from './dialect.js';

/**
 * Multipart uploads in progress through Tandem's S3 API (issue 10): which account started each,
 * for which bucket and key, and the object store's own id for it. The parts themselves are in the
 * object store; a row gone (completed, aborted, expired) means the upload id is no longer valid.
 */
export const multipartUploads: MigrationModule = {
  async up(db: Kysely<unknown>) {
    const time = isPostgres(db) ? 'bigint' : 'integer';
    await db.schema
      .createTable('multipart_uploads')
      // The UploadId clients see: random, never the store's own id.
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('bucket', 'text', (c) => c.notNull())
      .addColumn('object_key', 'text', (c) => c.notNull())
      .addColumn('store_upload_id', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text')
      .addColumn('created_at', time, (c) => c.notNull())
      .execute();
    // The engine aborts uploads left incomplete, oldest first.
    await db.schema.createIndex('multipart_uploads_by_created_at').on('multipart_uploads').column('created_at').execute();
  },
};
