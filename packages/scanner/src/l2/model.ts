import { WardenError } from '../errors.js';
import type { ScanKind } from '../types.js';
import { blendPredictions } from './blend.js';
import { crc32 } from './crc32.js';
import { type DenseLayers, forwardDense } from './dense.js';
import {
  conceptFeatures,
  distinctRows,
  extractFeatureParts,
  extractFeatures,
  FEATURE_KINDS,
  SKETCH_DIMENSION,
  sketchFeatures,
} from './features.js';
import { MODEL_BASE64, MODEL_META } from './model-data.js';
import { forSurface, type PerSurface } from './surface.js';

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
  /** Shape of the surface network (every feature). */
  buckets: number;
  dimension: number;
  hidden: number;
  /** Shape of the concept network (where the text sits, concepts, context, noise). */
  concepts: { buckets: number; dimension: number; hidden: number };
  /** Weight of the surface network when the two verdicts are blended, per surface (forSurface). */
  blend: PerSurface<number>;
  signatures: number;
  /** Feature families the model was trained with; the scanner computes all of them. */
  features: readonly string[];
  thresholds: PerSurface<number>;
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

/** One network with quantised embeddings: int8 rows with a float32 scale each, then dense layers. */
export class QuantisedNetwork implements DenseLayers {
  private readonly pooled: Float32Array;
  private readonly hiddenValues: Float32Array;
  /** Class probabilities of the last window (reused). */
  readonly output: Float32Array;

  constructor(
    readonly buckets: number,
    readonly dimension: number,
    private readonly embedding: Int8Array,
    private readonly scales: Float32Array,
    readonly hiddenWeights: Float32Array,
    readonly hiddenBias: Float32Array,
    readonly outputWeights: Float32Array,
    readonly outputBias: Float32Array,
  ) {
    this.pooled = new Float32Array(dimension);
    this.hiddenValues = new Float32Array(hiddenBias.length);
    this.output = new Float32Array(outputBias.length);
  }

  /**
   * Class probabilities of a window's features: the distinct embedding rows (each bucket once, see
   * distinctRows) summed and scaled by 1/√n, as in training, then the dense layers.
   */
  classify(features: Uint32Array): Float32Array {
    const { dimension, pooled } = this;
    pooled.fill(0);
    const { rows } = distinctRows(features, this.buckets - 1);
    for (const row of rows) {
      const scale = this.scales[row]!;
      const offset = row * dimension;
      for (let d = 0; d < dimension; d++) pooled[d]! += this.embedding[offset + d]! * scale;
    }
    const count = Math.sqrt(Math.max(1, rows.length));
    for (let d = 0; d < dimension; d++) pooled[d]! /= count;
    forwardDense(this, pooled, this.hiddenValues, this.output);
    return this.output;
  }
}

/**
 * The L2 model with its quantised weights, ready to score text: the surface network (every feature)
 * and the concept network (language-independent features), blended. Load once with `loadModel`.
 */
export class Model {
  private readonly blended: Float32Array;

  constructor(
    readonly meta: ModelMeta,
    readonly surface: QuantisedNetwork,
    readonly concepts: QuantisedNetwork,
    /** Unit sketches (int8, ×127) of known attacks, SKETCH_DIMENSION values each. */
    readonly signatures: Int8Array,
    /** Attack class index of each signature. */
    readonly signatureClasses: Uint8Array,
  ) {
    this.blended = new Float32Array(meta.classes.length);
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
    return this.analyse(text, kind).prediction;
  }

  /** Prediction and embedding of one window in a single pass over its features. */
  analyse(text: string, kind: ScanKind): { prediction: ModelPrediction; embedding: Float32Array } {
    const parts = extractFeatureParts(text, kind);
    const surface = this.surface.classify(parts.features);
    const concepts = this.concepts.classify(conceptFeatures(parts));
    blendPredictions(surface, concepts, forSurface(this.meta.blend, kind), this.blended);
    return { prediction: this.describe(this.blended), embedding: sketchFeatures(parts.features) };
  }

  private describe(output: Float32Array): ModelPrediction {
    const classes = this.meta.classes.length;
    const probabilities = {} as Record<ModelClass, number>;
    let attackClass: Exclude<ModelClass, 'benign'> = 'prompt_injection';
    let attackBest = -1;
    for (let c = 0; c < classes; c++) {
      const name = this.meta.classes[c] as ModelClass;
      const probability = output[c]!;
      probabilities[name] = probability;
      if (name !== 'benign' && probability > attackBest) {
        attackBest = probability;
        attackClass = name;
      }
    }
    return { probabilities, attackScore: 1 - probabilities.benign, attackClass };
  }
}

/**
 * Format 3: the surface network, then the concept network, then the signatures; blend weights per
 * surface (format 2 had one weight for both).
 */
const MODEL_FORMAT = 3;

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
  if (meta.format !== MODEL_FORMAT || meta.features.join() !== FEATURE_KINDS.join()) {
    throw new WardenError(
      'WARDEN_MODEL_INVALID',
      `The L2 model data has format ${meta.format} with features [${meta.features.join(', ')}]; this scanner reads format ${MODEL_FORMAT} with [${FEATURE_KINDS.join(', ')}]. Retrain with npm run train.`,
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
  const classes = meta.classes.length;
  let offset = 0;
  const take = (length: number) => {
    const start = offset;
    offset += length;
    return start;
  };
  const buffer = bytes.buffer;
  const network = (shape: { buckets: number; dimension: number; hidden: number }) => {
    const { buckets, dimension, hidden } = shape;
    return new QuantisedNetwork(
      buckets,
      dimension,
      new Int8Array(buffer, take(buckets * dimension), buckets * dimension),
      new Float32Array(buffer, take(buckets * 4), buckets),
      new Float32Array(buffer, take(hidden * dimension * 4), hidden * dimension),
      new Float32Array(buffer, take(hidden * 4), hidden),
      new Float32Array(buffer, take(classes * hidden * 4), classes * hidden),
      new Float32Array(buffer, take(classes * 4), classes),
    );
  };
  const surface = network(meta);
  const concepts = network(meta.concepts);
  const { signatures } = meta;
  const signatureVectors = new Int8Array(
    buffer,
    take(signatures * SKETCH_DIMENSION),
    signatures * SKETCH_DIMENSION,
  );
  const signatureClasses = new Uint8Array(buffer, take(signatures), signatures);
  return new Model(meta, surface, concepts, signatureVectors, signatureClasses);
}
