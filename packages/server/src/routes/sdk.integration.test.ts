import { createTestPostgresDatabase, postgresReachable } from '../testing/harness.js';
import { describeSdkConfig } from './sdk.suite.js';

const reachable = await postgresReachable();
if (!reachable)
  console.warn('PostgreSQL is not reachable at 127.0.0.1:5432: skipping the SDK config suite');

// The same suite on PostgreSQL, in a database of its own.
describeSdkConfig(
  'sdk config on PostgreSQL',
  async () => {
    const database = await createTestPostgresDatabase();
    return { databaseUrl: database.url, cleanup: database.drop };
  },
  reachable,
);
