export type { ScanEvent } from './scan-event.js';
export { ScanEventSchema } from './scan-event.js';
export type { ScanErrorLine, ScanRequestLine, ScanResultLine } from './scan-line.js';
export { ScanErrorLineSchema, ScanRequestLineSchema, ScanResultLineSchema } from './scan-line.js';
