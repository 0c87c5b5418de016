export type { ControlPlaneErrorCode } from './control-plane-error.js';
export { ControlPlaneError } from './control-plane-error.js';
export type {
  PendingEvent,
  Telemetry,
  TelemetryIdentity,
  TelemetryOptions,
  TelemetryStats,
} from './telemetry.js';
export { createTelemetry } from './telemetry.js';
