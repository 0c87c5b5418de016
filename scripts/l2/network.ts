import { forwardDense } from '../../packages/scanner/src/l2/dense.js';

/**
 * The L2 network in training form (float weights): hashed features → mean embedding → ReLU hidden
 * layer → softmax over classes. packages/scanner/src/l2/model.ts runs the same forward pass on the
 * quantised weights this trains.
 */

export interface NetworkShape {
  buckets: number;
  dimension: number;
  hidden: number;
  classes: number;
}

export interface Example {
  /** Bucket indices of the example's features. */
  features: Uint32Array;
  /** Features from here on are concepts (kept whole by feature dropout). */
  conceptStart?: number;
  label: number;
  weight: number;
}

/** Deterministic PRNG (mulberry32) so training is repeatable with a fixed seed. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export class Network {
  readonly embedding: Float32Array;
  readonly hiddenWeights: Float32Array;
  readonly hiddenBias: Float32Array;
  readonly outputWeights: Float32Array;
  readonly outputBias: Float32Array;
  private readonly pooled: Float32Array;
  private readonly hiddenValues: Float32Array;
  private readonly probabilities: Float32Array;

  constructor(
    readonly shape: NetworkShape,
    random: () => number,
    embeddingInit = 1,
  ) {
    const { buckets, dimension, hidden, classes } = shape;
    this.embedding = new Float32Array(buckets * dimension);
    const embeddingRange = embeddingInit / dimension;
    for (let index = 0; index < this.embedding.length; index++) {
      this.embedding[index] = (random() * 2 - 1) * embeddingRange;
    }
    this.hiddenWeights = new Float32Array(hidden * dimension);
    const hiddenRange = Math.sqrt(6 / (dimension + hidden));
    for (let index = 0; index < this.hiddenWeights.length; index++) {
      this.hiddenWeights[index] = (random() * 2 - 1) * hiddenRange;
    }
    // A small positive bias keeps every ReLU alive while the pooled embeddings are still near zero.
    this.hiddenBias = new Float32Array(hidden).fill(0.1);
    this.outputWeights = new Float32Array(classes * hidden);
    const outputRange = Math.sqrt(6 / (hidden + classes));
    for (let index = 0; index < this.outputWeights.length; index++) {
      this.outputWeights[index] = (random() * 2 - 1) * outputRange;
    }
    this.outputBias = new Float32Array(classes);
    this.pooled = new Float32Array(dimension);
    this.hiddenValues = new Float32Array(hidden);
    this.probabilities = new Float32Array(classes);
  }

  /** Class probabilities of one example (a view into a reused buffer: copy to keep). */
  predict(features: Uint32Array): Float32Array {
    const { dimension } = this.shape;
    const pooled = this.pooled;
    pooled.fill(0);
    // Sum scaled by 1/√n: long and short texts land on a similar scale without starving the gradient.
    const count = Math.sqrt(Math.max(1, features.length));
    for (const feature of features) {
      const offset = feature * dimension;
      for (let d = 0; d < dimension; d++) pooled[d]! += this.embedding[offset + d]!;
    }
    for (let d = 0; d < dimension; d++) pooled[d]! /= count;
    forwardDense(this, pooled, this.hiddenValues, this.probabilities);
    return this.probabilities;
  }

  /** One SGD step on one example (weighted cross-entropy with label smoothing). */
  train(example: Example, learningRate: number, smoothing = 0, l2 = 0): void {
    const { dimension, hidden, classes } = this.shape;
    const probabilities = this.predict(example.features);
    const step = learningRate * example.weight;
    const outputGradient = new Float32Array(classes);
    for (let c = 0; c < classes; c++) {
      const target = (c === example.label ? 1 - smoothing : 0) + smoothing / classes;
      outputGradient[c] = probabilities[c]! - target;
    }
    const hiddenGradient = new Float32Array(hidden);
    for (let c = 0; c < classes; c++) {
      const gradient = outputGradient[c]!;
      const offset = c * hidden;
      for (let h = 0; h < hidden; h++) {
        hiddenGradient[h]! += this.outputWeights[offset + h]! * gradient;
        this.outputWeights[offset + h]! -=
          step * (gradient * this.hiddenValues[h]! + l2 * this.outputWeights[offset + h]!);
      }
      this.outputBias[c]! -= step * gradient;
    }
    const pooledGradient = new Float32Array(dimension);
    for (let h = 0; h < hidden; h++) {
      if (this.hiddenValues[h]! <= 0) continue;
      const gradient = hiddenGradient[h]!;
      const offset = h * dimension;
      for (let d = 0; d < dimension; d++) {
        pooledGradient[d]! += this.hiddenWeights[offset + d]! * gradient;
        this.hiddenWeights[offset + d]! -= step * gradient * this.pooled[d]!;
      }
      this.hiddenBias[h]! -= step * gradient;
    }
    const count = Math.sqrt(Math.max(1, example.features.length));
    for (const feature of example.features) {
      const offset = feature * dimension;
      for (let d = 0; d < dimension; d++) {
        this.embedding[offset + d]! -= (step * pooledGradient[d]!) / count;
      }
    }
  }
}

/** The example's features with a random share of the surface ones left out; concepts all kept. */
function dropSurface(example: Example, dropout: number, random: () => number): Uint32Array {
  const kept = new Uint32Array(example.features.length);
  let length = 0;
  const conceptStart = example.conceptStart ?? example.features.length;
  for (let index = 0; index < example.features.length; index++) {
    if (index >= conceptStart || random() >= dropout) kept[length++] = example.features[index]!;
  }
  return kept.subarray(0, length);
}

/** Trains a fresh network: shuffled SGD with a linearly decaying learning rate (as fastText). */
export function trainNetwork(
  examples: readonly Example[],
  shape: NetworkShape,
  options: {
    epochs: number;
    learningRate: number;
    seed: number;
    smoothing?: number;
    l2?: number;
    /** Share of surface features (words, pairs, character grams) dropped per example and epoch. */
    dropout?: number;
    /** Scale of the embeddings' random start (1: uniform in ±1/dimension, as fastText). */
    embeddingInit?: number;
  },
): Network {
  const random = createRandom(options.seed);
  const network = new Network(shape, random, options.embeddingInit ?? 1);
  const order = Array.from(examples.keys());
  const total = options.epochs * examples.length;
  let done = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let index = order.length - 1; index > 0; index--) {
      const other = Math.floor(random() * (index + 1));
      [order[index], order[other]] = [order[other]!, order[index]!];
    }
    for (const index of order) {
      const rate = options.learningRate * (1 - done / total);
      const example = examples[index]!;
      const dropout = options.dropout ?? 0;
      const trained =
        dropout > 0 && example.conceptStart !== undefined
          ? { ...example, features: dropSurface(example, dropout, random) }
          : example;
      network.train(trained, rate, options.smoothing ?? 0, options.l2 ?? 0);
      done++;
    }
  }
  return network;
}
