import { describeAuditStore } from './audit-store-suite.js';

describeAuditStore('embedded', () => true);
