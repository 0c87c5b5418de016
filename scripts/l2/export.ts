/**
 * Writes the trained networks as packages/scanner/src/l2/model-data.ts: for the surface network and
 * then the concept network, int8 embedding rows with a float32 scale each and float32 dense layers;
 * then int8 unit vectors of known attacks (signatures). Base64-encoded with a CRC-32 checked at
 * load. Only numbers derived from the data are written.
 */
import { writeFileSync } from 'node:fs';
import { crc32 } from '../../packages/scanner/src/l2/crc32.js';
import {
  currentFeatureSet,
  extractFeatures,
  SKETCH_DIMENSION,
  sketchFeatures,
} from '../../packages/scanner/src/l2/features.js';
import type { PerSurface } from '../../packages/scanner/src/l2/surface.js';
import { textWindows } from '../../packages/scanner/src/l2/windows.js';
import type { TextSample } from './data.js';
import type { Network } from './network.js';

interface ExportOptions {
  thresholds: PerSurface<number>;
  classes: string[];
  seed: number;
  /** Weight of the surface network in blendPredictions, per surface. */
  blend: PerSurface<number>;
  signatureSamples: TextSample[];
  /** Benign samples: the signature threshold keeps at most 0.1% of them above it. */
  benignSamples: TextSample[];
}

/** Signatures closer than this to one already kept add nothing and are dropped. */
const SIGNATURE_DEDUPLICATION = 0.85;
const MAX_SIGNATURES = 2048;

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < SKETCH_DIMENSION; d++) sum += a[d]! * b[d]!;
  return sum;
}

/** A network's weights as the scanner reads them: int8 embedding rows with one float32 scale each. */
function networkParts(network: Network): ArrayBufferView[] {
  const { buckets, dimension } = network.shape;
  const quantised = new Int8Array(buckets * dimension);
  const scales = new Float32Array(buckets);
  for (let row = 0; row < buckets; row++) {
    let max = 0;
    for (let d = 0; d < dimension; d++)
      max = Math.max(max, Math.abs(network.embedding[row * dimension + d]!));
    const scale = max / 127 || 1;
    scales[row] = scale;
    for (let d = 0; d < dimension; d++) {
      quantised[row * dimension + d] = Math.round(network.embedding[row * dimension + d]! / scale);
    }
  }
  return [
    quantised,
    scales,
    network.hiddenWeights,
    network.hiddenBias,
    network.outputWeights,
    network.outputBias,
  ];
}

export function exportModel(
  pair: { surface: Network; concepts: Network },
  options: ExportOptions,
  target: string,
): void {
  const { buckets, dimension, hidden, classes } = pair.surface.shape;
  // Signatures: the embedding of each attack window, near-duplicates dropped.
  const kept: Float32Array[] = [];
  const keptClasses: number[] = [];
  for (const sample of options.signatureSamples) {
    if (kept.length >= MAX_SIGNATURES) break;
    const [start, end] = textWindows(sample.text.length)[0]!;
    const vector = sketchFeatures(extractFeatures(sample.text.slice(start, end), sample.kind));
    if (!kept.some((other) => dot(vector, other) >= SIGNATURE_DEDUPLICATION)) {
      kept.push(vector);
      keptClasses.push(options.classes.indexOf(sample.label));
    }
  }
  const benignSimilarities = options.benignSamples.map((sample) => {
    const [start, end] = textWindows(sample.text.length)[0]!;
    const vector = sketchFeatures(extractFeatures(sample.text.slice(start, end), sample.kind));
    return Math.max(-1, ...kept.map((other) => dot(vector, other)));
  });
  benignSimilarities.sort((a, b) => b - a);
  const signatureThreshold = Math.min(
    0.999,
    Math.max(
      0.9,
      (benignSimilarities[Math.floor(benignSimilarities.length * 0.001)] ?? 0.9) + 1e-4,
    ),
  );
  const signatures = new Int8Array(kept.length * SKETCH_DIMENSION);
  kept.forEach((vector, index) => {
    for (let d = 0; d < SKETCH_DIMENSION; d++) {
      signatures[index * SKETCH_DIMENSION + d] = Math.round(vector[d]! * 127);
    }
  });
  const parts: ArrayBufferView[] = [
    ...networkParts(pair.surface),
    ...networkParts(pair.concepts),
    signatures,
    Uint8Array.from(keptClasses),
  ];
  const byteLength = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const bytes = new Uint8Array(byteLength);
  let offset = 0;
  for (const part of parts) {
    bytes.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), offset);
    offset += part.byteLength;
  }
  const meta = {
    format: 3,
    classes: options.classes,
    buckets,
    dimension,
    hidden,
    concepts: {
      buckets: pair.concepts.shape.buckets,
      dimension: pair.concepts.shape.dimension,
      hidden: pair.concepts.shape.hidden,
    },
    blend: options.blend,
    signatures: kept.length,
    features: currentFeatureSet(),
    thresholds: {
      prompt: Number(options.thresholds.prompt.toFixed(4)),
      document: Number(options.thresholds.document.toFixed(4)),
    },
    signatureThreshold: Number(signatureThreshold.toFixed(4)),
    seed: options.seed,
    byteLength,
    crc32: crc32(bytes),
  };
  if (classes !== options.classes.length || pair.concepts.shape.classes !== classes)
    throw new Error('class count mismatch');
  const source = `// Generated by \`npm run train\` (scripts/l2/train.ts). Do not edit: retrain instead.
// Weights derived from the training data; no dataset text is stored here.
export const MODEL_META = ${JSON.stringify(meta)} as const;

export const MODEL_BASE64: string =
  '${Buffer.from(bytes).toString('base64')}';
`;
  writeFileSync(target, source);
}
