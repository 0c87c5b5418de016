import { createTestPostgresDatabase, postgresReachable } from '../testing/harness.js';
import { describeFeatures } from './policies-alerts-audit.suite.js';

const reachable = await postgresReachable();
if (!reachable)
  console.warn(
    'PostgreSQL is not reachable at 127.0.0.1:5432: skipping the features suite on PostgreSQL',
  );

// The same suite on PostgreSQL, in a database of its own.
describeFeatures(
  'features on PostgreSQL',
  async () => {
    const database = await createTestPostgresDatabase();
    return { databaseUrl: database.url, cleanup: database.drop };
  },
  reachable,
);
