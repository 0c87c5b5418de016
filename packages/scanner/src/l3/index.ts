export { createJudge, type Judge, type JudgeAnswer } from './judge.js';
export type { AbortSignalLike, JudgeFetch, JudgeRequestInit, JudgeResponse } from './runtime.js';
export { JUDGE_FAILED, JUDGE_RULE_ID, type JudgeContext, judgeScan } from './scan-async.js';
export type {
  AsyncScanResult,
  JudgeCategory,
  JudgeOptions,
  JudgeProvider,
  JudgeReport,
  JudgeStatus,
  JudgeTrigger,
  JudgeVerdict,
  ScanAsyncOptions,
  StructuredOutput,
} from './types.js';
export { JUDGE_CATEGORIES } from './types.js';
