/** The weights after the embedding: one ReLU layer, then one logit per class. */
export interface DenseLayers {
  hiddenWeights: Float32Array;
  hiddenBias: Float32Array;
  outputWeights: Float32Array;
  outputBias: Float32Array;
}

/**
 * The network after pooling, shared by training (scripts/l2) and the scanner so the two cannot
 * drift: fills `hidden` with the ReLU activations and `probabilities` with the softmax.
 */
export function forwardDense(
  layers: DenseLayers,
  pooled: Float32Array,
  hidden: Float32Array,
  probabilities: Float32Array,
): void {
  const dimension = pooled.length;
  for (let h = 0; h < hidden.length; h++) {
    let sum = layers.hiddenBias[h]!;
    const offset = h * dimension;
    for (let d = 0; d < dimension; d++) sum += layers.hiddenWeights[offset + d]! * pooled[d]!;
    hidden[h] = Math.max(sum, 0);
  }
  let max = -Infinity;
  for (let c = 0; c < probabilities.length; c++) {
    let sum = layers.outputBias[c]!;
    const offset = c * hidden.length;
    for (let h = 0; h < hidden.length; h++) sum += layers.outputWeights[offset + h]! * hidden[h]!;
    probabilities[c] = sum;
    if (sum > max) max = sum;
  }
  let total = 0;
  for (let c = 0; c < probabilities.length; c++) {
    const value = Math.exp(probabilities[c]! - max);
    probabilities[c] = value;
    // Summed before rounding to float32, exactly as the shipped weights were trained.
    total += value;
  }
  for (let c = 0; c < probabilities.length; c++) probabilities[c]! /= total;
}
