import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

/**
 * Kysely's SQLite dialect with every transaction begun `immediate` (taking the write lock
 * first) instead of `deferred`. Tandem's transactions read, then write; under WAL, a deferred
 * transaction whose snapshot another connection has written past fails its first write with
 * SQLITE_BUSY_SNAPSHOT at once, without waiting (busy_timeout does not apply). Several server
 * processes share one database file (cluster.ts), and the `tandem` CLI writes to it while the
 * server runs, so the lock is taken up front and waited for instead.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
