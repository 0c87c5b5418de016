/**
 * The L2 model is two networks over one window: the surface network reads every feature (words,
 * word pairs, character grams, concepts), the concept network only where the text sits and the
 * language-independent concept, context and noise features. Words tie a verdict to the languages
 * and sources of the training data; concepts carry to the next source and language. Their verdicts
 * are blended here, by training (scripts/l2) and the scanner alike, so the two cannot drift.
 */

const EDGE = 1e-7;

function logit(probability: number): number {
  const clamped = Math.min(1 - EDGE, Math.max(EDGE, probability));
  return Math.log(clamped / (1 - clamped));
}

/**
 * Fills `blended` (class 0 is benign) from the two networks' class probabilities: the attack score
 * (1 − P(benign)) is the weighted mean of the two attack scores in log-odds, `weight` on the
 * surface network; it is shared among the attack classes as the two networks share it on average.
 */
export function blendPredictions(
  surface: Float32Array,
  concepts: Float32Array,
  weight: number,
  blended: Float32Array,
): void {
  const mixed = weight * logit(1 - surface[0]!) + (1 - weight) * logit(1 - concepts[0]!);
  const attack = 1 / (1 + Math.exp(-mixed));
  let share = 0;
  for (let c = 1; c < blended.length; c++)
    share += weight * surface[c]! + (1 - weight) * concepts[c]!;
  blended[0] = 1 - attack;
  for (let c = 1; c < blended.length; c++) {
    const part = weight * surface[c]! + (1 - weight) * concepts[c]!;
    blended[c] = share > 0 ? (attack * part) / share : attack / (blended.length - 1);
  }
}
