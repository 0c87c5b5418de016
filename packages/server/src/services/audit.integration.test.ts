import { beforeAll } from 'vitest';
import { describeAuditStore } from './audit-store-suite.js';
import { postgresAvailable } from './audit-test-support.js';

let available = false;
beforeAll(async () => {
  available = await postgresAvailable();
});

describeAuditStore('postgres', () => available);
