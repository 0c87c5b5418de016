/** The rows a statement returned and how many rows it touched. */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** Something that runs SQL with `$1`-style parameters: the database, or a transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(
    sql: string,
    parameters?: readonly unknown[],
  ): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * The server's database: PGlite in a data directory (embedded) or a PostgreSQL pool. Statements
 * outside `transaction` run as the schema owner, which bypasses row-level security; route code
 * reaches organisation data only through `withOrganization` (see ./tenancy.ts).
 */
export interface Database extends Queryable {
  readonly kind: 'embedded' | 'postgres';
  /**
   * Runs `work` in one transaction; commits when it resolves, rolls back when it throws.
   * `prelude` (SQL without parameters) runs first, inside the transaction; on PostgreSQL it
   * travels with BEGIN in one round trip.
   */
  transaction<T>(work: (transaction: Queryable) => Promise<T>, prelude?: string): Promise<T>;
  close(): Promise<void>;
}

/** The unprivileged role organisation-scoped statements run as; row-level security applies to it. */
export const APPLICATION_ROLE = 'warden_app';
