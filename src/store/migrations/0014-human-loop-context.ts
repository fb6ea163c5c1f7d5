import { type Kysely } from 'kysely';
import type { MigrationModule } from './dialect.js';

/**
 * A built-in loop's `task.input.humanLoopContext` (issue 9): what A2I hands the worker template
 * besides `inputContent`, such as the important form keys of a Textract flow's activation
 * conditions. Kept apart from `input_content`, which is written to output.json as it is.
 */
export const humanLoopContext: MigrationModule = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('human_loops').addColumn('human_loop_context', 'text').execute();
  },
};
