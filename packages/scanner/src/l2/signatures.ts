import { WardenError } from '../errors.js';
import type { ScanKind } from '../types.js';
import { SKETCH_DIMENSION } from './features.js';
import type { Model } from './model.js';
import { textWindows } from './windows.js';

/** Attack classes a signature can stand for (the model's classes less benign). */
export type SignatureCategory =
  | 'prompt_injection'
  | 'jailbreak'
  | 'indirect_injection'
  | 'system_prompt_extraction';

const SIGNATURE_CATEGORIES: readonly SignatureCategory[] = [
  'prompt_injection',
  'jailbreak',
  'indirect_injection',
  'system_prompt_extraction',
];
const FILE_MAGIC = 0x57534731; // "WSG1"

/**
 * Sign patterns further apart than this cannot belong to vectors near the signature threshold
 * (cosine 0.9 flips about 9 of 64 bits, with a spread of about 3): 24 leaves a wide margin.
 */
const MAX_SIGN_DISTANCE = 24;

function popcount(value: number): number {
  let bits = value - ((value >>> 1) & 0x55555555);
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
  return (((bits + (bits >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Signs of the first 64 dimensions, as two 32-bit words. */
function signBits(vector: Float32Array): [number, number] {
  let low = 0;
  let high = 0;
  for (let d = 0; d < 32; d++) {
    if (vector[d]! >= 0) low |= 1 << d;
    if (vector[d + 32]! >= 0) high |= 1 << d;
  }
  return [low >>> 0, high >>> 0];
}

/** The nearest known attack to a text. */
export interface SignatureMatch {
  similarity: number;
  category: SignatureCategory;
  /** Whether the signature was added at run time rather than shipped with the model. */
  custom: boolean;
}

/**
 * Known attacks as vectors (never text): the model's embedding of each, unit length. A text whose
 * embedding comes close to one is reported even when no rule and no class score fires.
 */
export class SignatureIndex {
  private vectors: Float32Array;
  private bits = new Uint32Array(32);
  private categories: SignatureCategory[] = [];
  private customFlags: boolean[] = [];
  private count = 0;
  /** The first `shipped` entries came with the model; the rest were added at run time. */
  private readonly shipped: number;

  constructor(private readonly model: Model) {
    const { signatures } = model.meta;
    const dimension = SKETCH_DIMENSION;
    this.vectors = new Float32Array(Math.max(16, signatures) * dimension);
    for (let index = 0; index < signatures; index++) {
      const vector = new Float32Array(dimension);
      for (let d = 0; d < dimension; d++)
        vector[d] = model.signatures[index * dimension + d]! / 127;
      const category = model.meta.classes[model.signatureClasses[index]!] as SignatureCategory;
      this.push(vector, category, false);
    }
    this.shipped = signatures;
  }

  get size(): number {
    return this.count;
  }

  /** Adds the embedding of each text (every window of it) as a signature, in effect at once. */
  addTexts(texts: readonly string[], category: SignatureCategory, kind: ScanKind): number {
    if (!SIGNATURE_CATEGORIES.includes(category)) {
      throw new WardenError(
        'WARDEN_INPUT_INVALID',
        `Signature category must be one of ${SIGNATURE_CATEGORIES.join(', ')}; got ${JSON.stringify(category)}.`,
      );
    }
    let added = 0;
    for (const text of texts) {
      if (typeof text !== 'string' || text.trim() === '') {
        throw new WardenError(
          'WARDEN_INPUT_INVALID',
          'Signatures are made from non-empty strings.',
        );
      }
      for (const [start, end] of textWindows(text.length)) {
        this.push(this.model.embed(text.slice(start, end), kind), category, true);
        added++;
      }
    }
    return added;
  }

  /** The closest signature to a unit vector, or null when the index is empty. */
  /**
   * The closest signature to a unit vector among those that can be close at all, or null. A
   * 64-bit sign pattern per vector (each sketch dimension is a random projection, so the patterns
   * of two vectors at cosine 0.9 differ in about 9 bits) rules out the rest before any dot product.
   */
  nearest(vector: Float32Array, includeShipped = true): SignatureMatch | null {
    const dimension = SKETCH_DIMENSION;
    const [low, high] = signBits(vector);
    let best = -2;
    let bestIndex = -1;
    for (let index = includeShipped ? 0 : this.shipped; index < this.count; index++) {
      if (
        popcount(this.bits[index * 2]! ^ low) + popcount(this.bits[index * 2 + 1]! ^ high) >
        MAX_SIGN_DISTANCE
      ) {
        continue;
      }
      let dot = 0;
      const offset = index * dimension;
      for (let d = 0; d < dimension; d++) dot += this.vectors[offset + d]! * vector[d]!;
      if (dot > best) {
        best = dot;
        bestIndex = index;
      }
    }
    if (bestIndex < 0) return null;
    return {
      similarity: best,
      category: this.categories[bestIndex]!,
      custom: this.customFlags[bestIndex]!,
    };
  }

  /** The signatures added at run time, as a vector file (`importSignatures` reads it back). */
  exportCustom(): Uint8Array {
    const dimension = SKETCH_DIMENSION;
    const custom: number[] = [];
    for (let index = 0; index < this.count; index++)
      if (this.customFlags[index]) custom.push(index);
    const bytes = new Uint8Array(16 + custom.length * (1 + dimension * 4));
    const view = new DataView(bytes.buffer);
    view.setUint32(0, FILE_MAGIC);
    view.setUint32(4, dimension, true);
    view.setUint32(8, custom.length, true);
    view.setUint32(12, this.model.meta.crc32, true);
    let offset = 16;
    for (const index of custom) {
      bytes[offset++] = SIGNATURE_CATEGORIES.indexOf(this.categories[index]!);
      for (let d = 0; d < dimension; d++) {
        view.setFloat32(offset, this.vectors[index * dimension + d]!, true);
        offset += 4;
      }
    }
    return bytes;
  }

  /** Reads a vector file written by `exportCustom` for this same model; returns how many were added. */
  importCustom(bytes: Uint8Array): number {
    const dimension = SKETCH_DIMENSION;
    const fail = (why: string): never => {
      throw new WardenError('WARDEN_INPUT_INVALID', `Not a usable signature file: ${why}.`);
    };
    if (!(bytes instanceof Uint8Array) || bytes.length < 16) fail('too short');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0) !== FILE_MAGIC) fail('wrong header');
    if (view.getUint32(4, true) !== dimension) fail(`vectors are not ${dimension}-dimensional`);
    if (view.getUint32(12, true) !== this.model.meta.crc32) {
      fail('it was made with another model version (re-add the texts with addSignatures)');
    }
    const count = view.getUint32(8, true);
    if (bytes.length !== 16 + count * (1 + dimension * 4))
      fail('its length does not match its header');
    const entries: Array<[Float32Array, SignatureCategory]> = [];
    let offset = 16;
    for (let index = 0; index < count; index++) {
      const category =
        SIGNATURE_CATEGORIES[bytes[offset++]!] ?? fail(`entry ${index} has an unknown category`);
      const vector = new Float32Array(dimension);
      let norm = 0;
      for (let d = 0; d < dimension; d++) {
        vector[d] = view.getFloat32(offset, true);
        norm += vector[d]! * vector[d]!;
        offset += 4;
      }
      if (!(Math.abs(norm - 1) < 1e-3)) fail(`entry ${index} is not a unit vector`);
      entries.push([vector, category]);
    }
    // Validated as a whole first: a bad file adds nothing.
    for (const [vector, category] of entries) this.push(vector, category, true);
    return entries.length;
  }

  private push(vector: Float32Array, category: SignatureCategory, custom: boolean): void {
    const dimension = SKETCH_DIMENSION;
    if ((this.count + 1) * dimension > this.vectors.length) {
      const grown = new Float32Array(this.vectors.length * 2);
      grown.set(this.vectors);
      this.vectors = grown;
    }
    this.vectors.set(vector, this.count * dimension);
    if ((this.count + 1) * 2 > this.bits.length) {
      const grown = new Uint32Array(Math.max(32, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const [low, high] = signBits(vector);
    this.bits[this.count * 2] = low;
    this.bits[this.count * 2 + 1] = high;
    this.categories.push(category);
    this.customFlags.push(custom);
    this.count++;
  }
}
