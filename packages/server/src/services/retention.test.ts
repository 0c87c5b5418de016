import { openTestEmbeddedDatabase } from '../testing/harness.js';
import { describeRetention } from './retention.suite.js';

// Partition drops by the retention job on an in-memory embedded database.
describeRetention('retention on the embedded database', async () => ({
  db: await openTestEmbeddedDatabase(),
  cleanup: async () => {},
}));
