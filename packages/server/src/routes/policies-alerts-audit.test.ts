import { describeFeatures } from './policies-alerts-audit.suite.js';

// Policies, alerts, webhooks, audit, retention and security.txt over HTTP on in-memory PGlite.
describeFeatures('features on the embedded database', async () => ({}));
