import type { RouteModule } from '../http/router.js';
import { alertRoutes } from './alerts.js';
import { analyticsRoutes } from './analytics.js';
import { apiKeyRoutes } from './api-keys.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { eventRoutes } from './events.js';
import { healthRoutes } from './health.js';
import { integrationRoutes } from './integrations.js';
import { organizationRoutes } from './organizations.js';
import { policyRoutes } from './policies.js';
import { projectRoutes } from './projects.js';
import { sdkRoutes } from './sdk.js';
import { securityRoutes } from './security.js';

/**
 * Every route module, in registration order. To add routes: write `src/routes/<name>.ts`
 * exporting a RouteModule and add it here (see packages/server/README.md, "Adding a route").
 */
export const ROUTE_MODULES: readonly RouteModule[] = [
  healthRoutes,
  authRoutes,
  organizationRoutes,
  projectRoutes,
  apiKeyRoutes,
  eventRoutes,
  sdkRoutes,
  analyticsRoutes,
  policyRoutes,
  alertRoutes,
  integrationRoutes,
  auditRoutes,
  securityRoutes,
];
