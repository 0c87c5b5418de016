export type { WardenSdkErrorCode } from './errors.js';
export {
  isWardenBlockedError,
  remediationHint,
  WardenBlockedError,
  WardenSdkError,
} from './errors.js';
export type { AnonymizeOptions } from './identifiers.js';
export { argumentValues } from './identifiers.js';
export type { PolicyRefreshOutcome } from './policy-sync/index.js';
export type { ControlPlaneErrorCode, TelemetryStats } from './telemetry/index.js';
export { ControlPlaneError } from './telemetry/index.js';
export { SDK_VERSION } from './version.js';
export type {
  BlockBehavior,
  CheckContext,
  CheckOutcome,
  CheckReport,
  ControlPlaneOptions,
  OutputStreamGuard,
  ToolCall,
  ToolResult,
  Warden,
  WardenOptions,
  WardenStats,
} from './warden.js';
export { createWarden } from './warden.js';
