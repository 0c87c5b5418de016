import { describeSdkConfig } from './sdk.suite.js';

// GET /v1/sdk/config over HTTP on in-memory PGlite.
describeSdkConfig('sdk config on the embedded database', async () => ({}));
