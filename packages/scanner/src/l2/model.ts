import { WardenError } from '../errors.js';
import type { ScanKind } from '../types.js';
import { crc32 } from './crc32.js';
import { forwardDense } from './dense.js';
import {
  distinctRows,
  extractFeatures,
  FEATURE_KINDS,
  SKETCH_DIMENSION,
  sketchFeatures,
} from './features.js';
import { MODEL_BASE64, MODEL_META } from './model-data.js';

/** Classes the model tells apart, in output order. */
export type ModelClass =
  | 'benign'
  | 'prompt_injection'
  | 'jailbreak'
  | 'indirect_injection'
  | 'system_prompt_extraction';

/** What the model says about one window of text. */
export interface ModelPrediction {
  /** Probability of each class (they sum to 1). */
  probabilities: Record<ModelClass, number>;
  /** 1 − P(benign): how likely the window is any kind of attack. */
  attackScore: number;
  /** The most likely attack class. */
  attackClass: Exclude<ModelClass, 'benign'>;
}

export interface ModelMeta {
  format: number;
  classes: readonly string[];
  buckets: number;
  dimension: number;
  hidden: number;
  signatures: number;
  /** Feature families the model was trained with; the scanner computes all of them. */
  features: readonly string[];
  thresholds: { prompt: number; document: number };
  signatureThreshold: number;
  seed: number;
  byteLength: number;
  crc32: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes base64 without Buffer or atob, so the same code runs in every runtime. */
export function decodeBase64(text: string, byteLength: number): Uint8Array {
  // Where the runtime has a native decoder (Node, Bun, Deno's Buffer), use it: several times faster.
  const native = (
    globalThis as { Buffer?: { from(value: string, encoding: 'base64'): Uint8Array } }
  ).Buffer;
  if (native !== undefined) {
    const decoded = native.from(text, 'base64');
    // A copy of our own: the model's float views need a buffer that starts at offset 0.
    const bytes = new Uint8Array(byteLength);
    bytes.set(decoded.subarray(0, byteLength));
    return bytes;
  }
  return decodeBase64Portable(text, byteLength);
}

/** The same decoding in plain TypeScript, for runtimes without Buffer (browsers, edge workers). */
export function decodeBase64Portable(text: string, byteLength: number): Uint8Array {
  const lookup = new Uint8Array(128);
  for (let index = 0; index < BASE64.length; index++) lookup[BASE64.charCodeAt(index)] = index;
  const bytes = new Uint8Array(byteLength);
  let byte = 0;
  for (let index = 0; index + 3 < text.length + 3 && byte < byteLength; index += 4) {
    const a = lookup[text.charCodeAt(index)]!;
    const b = lookup[text.charCodeAt(index + 1)]!;
    const c = lookup[text.charCodeAt(index + 2) & 127]!;
    const d = lookup[text.charCodeAt(index + 3) & 127]!;
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[byte++] = triple >> 16;
    if (byte < byteLength) bytes[byte++] = (triple >> 8) & 0xff;
    if (byte < byteLength) bytes[byte++] = triple & 0xff;
  }
  return bytes;
}

/** The L2 network with its quantised weights, ready to score text. Load once with `loadModel`. */
export class Model {
  private readonly pooled: Float32Array;
  private readonly hiddenValues: Float32Array;
  private readonly output: Float32Array;

  constructor(
    readonly meta: ModelMeta,
    private readonly embedding: Int8Array,
    private readonly scales: Float32Array,
    readonly hiddenWeights: Float32Array,
    readonly hiddenBias: Float32Array,
    readonly outputWeights: Float32Array,
    readonly outputBias: Float32Array,
    /** Unit sketches (int8, ×127) of known attacks, SKETCH_DIMENSION values each. */
    readonly signatures: Int8Array,
    /** Attack class index of each signature. */
    readonly signatureClasses: Uint8Array,
  ) {
    this.pooled = new Float32Array(meta.dimension);
    this.hiddenValues = new Float32Array(meta.hidden);
    this.output = new Float32Array(meta.classes.length);
  }

  /** The embedding signatures are compared in: the unit-length sketch of the text's features. */
  embed(text: string, kind: ScanKind): Float32Array {
    return sketchFeatures(extractFeatures(text, kind));
  }

  /**
   * Class probabilities of one window of text (callers window long texts: see textWindows).
   * @example loadModel().predict('Ignore all previous instructions', 'input').attackScore
   */
  predict(text: string, kind: ScanKind): ModelPrediction {
    this.pool(extractFeatures(text, kind));
    return this.classify();
  }

  /** Prediction and embedding of one window in a single pass over its features. */
  analyse(text: string, kind: ScanKind): { prediction: ModelPrediction; embedding: Float32Array } {
    const features = extractFeatures(text, kind);
    this.pool(features);
    return { prediction: this.classify(), embedding: sketchFeatures(features) };
  }

  /**
   * Pooled features: the distinct embedding rows (each bucket once, see distinctRows) summed and
   * scaled by 1/√n, as in training.
   */
  private pool(features: Uint32Array): void {
    const { dimension, buckets } = this.meta;
    const pooled = this.pooled;
    pooled.fill(0);
    const { rows } = distinctRows(features, buckets - 1);
    for (const row of rows) {
      const scale = this.scales[row]!;
      const offset = row * dimension;
      for (let d = 0; d < dimension; d++) pooled[d]! += this.embedding[offset + d]! * scale;
    }
    const count = Math.sqrt(Math.max(1, rows.length));
    for (let d = 0; d < dimension; d++) pooled[d]! /= count;
  }

  private classify(): ModelPrediction {
    forwardDense(this, this.pooled, this.hiddenValues, this.output);
    const classes = this.meta.classes.length;
    const probabilities = {} as Record<ModelClass, number>;
    let attackClass: Exclude<ModelClass, 'benign'> = 'prompt_injection';
    let attackBest = -1;
    for (let c = 0; c < classes; c++) {
      const name = this.meta.classes[c] as ModelClass;
      const probability = this.output[c]!;
      probabilities[name] = probability;
      if (name !== 'benign' && probability > attackBest) {
        attackBest = probability;
        attackClass = name;
      }
    }
    return { probabilities, attackScore: 1 - probabilities.benign, attackClass };
  }
}

let loaded: Model | null = null;
let loadFailure: unknown = null;

/**
 * The shipped model, decoded and checked on first use (CRC-32) and kept from then on.
 * @example loadModel().meta.thresholds.prompt
 */
export function loadModel(): Model {
  // A damaged model fails the same way on every scan without being decoded again.
  if (loadFailure !== null) throw loadFailure;
  try {
    loaded ??= decodeModel(MODEL_META as unknown as ModelMeta, MODEL_BASE64);
  } catch (error) {
    loadFailure = error;
    throw error;
  }
  return loaded;
}

/** Decodes model data and checks it against its CRC-32; throws WARDEN_MODEL_INVALID if damaged. */
export function decodeModel(meta: ModelMeta, base64: string): Model {
  if (meta.format !== 1 || meta.features.join() !== FEATURE_KINDS.join()) {
    throw new WardenError(
      'WARDEN_MODEL_INVALID',
      `The L2 model data has format ${meta.format} with features [${meta.features.join(', ')}]; this scanner reads format 1 with [${FEATURE_KINDS.join(', ')}]. Retrain with npm run train.`,
    );
  }
  const bytes = decodeBase64(base64, meta.byteLength);
  const checksum = crc32(bytes);
  if (checksum !== meta.crc32) {
    throw new WardenError(
      'WARDEN_MODEL_INVALID',
      `The L2 model data is damaged (checksum ${checksum.toString(16)}, expected ${meta.crc32.toString(16)}): reinstall @warden/scanner.`,
    );
  }
  const { buckets, dimension, hidden, signatures } = meta;
  const classes = meta.classes.length;
  let offset = 0;
  const take = (length: number) => {
    const start = offset;
    offset += length;
    return start;
  };
  const buffer = bytes.buffer;
  const embedding = new Int8Array(buffer, take(buckets * dimension), buckets * dimension);
  const scales = new Float32Array(buffer, take(buckets * 4), buckets);
  const hiddenWeights = new Float32Array(buffer, take(hidden * dimension * 4), hidden * dimension);
  const hiddenBias = new Float32Array(buffer, take(hidden * 4), hidden);
  const outputWeights = new Float32Array(buffer, take(classes * hidden * 4), classes * hidden);
  const outputBias = new Float32Array(buffer, take(classes * 4), classes);
  const signatureVectors = new Int8Array(
    buffer,
    take(signatures * SKETCH_DIMENSION),
    signatures * SKETCH_DIMENSION,
  );
  const signatureClasses = new Uint8Array(buffer, take(signatures), signatures);
  return new Model(
    meta,
    embedding,
    scales,
    hiddenWeights,
    hiddenBias,
    outputWeights,
    outputBias,
    signatureVectors,
    signatureClasses,
  );
}
