import { openTestEmbeddedDatabase } from '../testing/harness.js';
import { describeOutbox } from './webhook-outbox.suite.js';

// Durable webhook deliveries on one in-memory PGlite database shared by successive servers.
describeOutbox('webhook outbox on the embedded database', async () => {
  const db = await openTestEmbeddedDatabase();
  return { db, cleanup: () => db.close() };
});
