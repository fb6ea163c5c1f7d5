import type { Migration, MigrationProvider } from 'kysely/migration';
import { controlPlane } from './0001-control-plane.js';
import { review } from './0002-review.js';
import { scaleIndexes } from './0003-scale-indexes.js';
import { consoleAdmins } from './0008-console.js';
import { reviewerWorkspace } from './0007-reviewer-workspace.js';
import { buckets } from './0005-buckets.js';
import { webhooks } from './0009-webhooks.js';
import { signInThrottle } from './0010-sign-in-throttle.js';
import { multipartUploads } from './0011-multipart-uploads.js';
import { humanLoopContext } from './0014-human-loop-context.js';

/**
 * Forward-only, numbered migrations, compiled into the program so a packaged Tandem needs no
 * migration files on disk. Append; never edit one that has shipped.
 */
const MIGRATIONS: Record<string, Migration> = {
  '0001-control-plane': controlPlane,
  '0002-review': review,
  '0003-scale-indexes': scaleIndexes,
  '0008-console': consoleAdmins,
  '0007-reviewer-workspace': reviewerWorkspace,
  '0005-buckets': buckets,
  '0009-webhooks': webhooks,
  '0010-sign-in-throttle': signInThrottle,
  '0011-multipart-uploads': multipartUploads,
  '0014-human-loop-context': humanLoopContext,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
