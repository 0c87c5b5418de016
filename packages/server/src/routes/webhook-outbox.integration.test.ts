import { createTestPostgresDatabase, postgresReachable } from '../testing/harness.js';
import { describeOutbox } from './webhook-outbox.suite.js';

const reachable = await postgresReachable();
if (!reachable)
  console.warn('PostgreSQL is not reachable at 127.0.0.1:5432: skipping the outbox suite on it');

// The same suite on PostgreSQL, in a database of its own.
describeOutbox(
  'webhook outbox on PostgreSQL',
  async () => {
    const database = await createTestPostgresDatabase();
    return { databaseUrl: database.url, cleanup: database.drop };
  },
  reachable,
);
