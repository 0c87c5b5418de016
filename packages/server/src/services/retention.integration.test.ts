import { openDatabase } from '../db/open.js';
import { createTestPostgresDatabase, postgresReachable } from '../testing/harness.js';
import { describeRetention } from './retention.suite.js';

const reachable = await postgresReachable();
if (!reachable)
  console.warn('PostgreSQL is not reachable at 127.0.0.1:5432: skipping retention on PostgreSQL');

// The same suite on PostgreSQL, in a database of its own.
describeRetention(
  'retention on PostgreSQL',
  async () => {
    const database = await createTestPostgresDatabase();
    const db = await openDatabase({
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: 4,
      WARDEN_DATA_DIR: '/nonexistent',
    });
    return { db, databaseUrl: database.url, cleanup: database.drop };
  },
  { enabled: reachable, separateConnections: true },
);
