/** Counts of a binary detector on labelled rows. */
export interface Confusion {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

export interface ScoredRow {
  label: 0 | 1;
  flagged: boolean;
  /** Higher means more likely an attack; used for ROC-AUC and recall at a fixed FPR. */
  score: number;
}

export function confusion(rows: readonly ScoredRow[]): Confusion {
  const counts: Confusion = {
    truePositives: 0,
    falsePositives: 0,
    trueNegatives: 0,
    falseNegatives: 0,
  };
  for (const row of rows) {
    if (row.label === 1) row.flagged ? counts.truePositives++ : counts.falseNegatives++;
    else row.flagged ? counts.falsePositives++ : counts.trueNegatives++;
  }
  return counts;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

export interface Metrics {
  positives: number;
  negatives: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  falsePositiveRate: number | null;
  rocAuc: number | null;
  /** Recall when the score threshold is set so that FPR ≤ 1%. */
  recallAt1PercentFpr: number | null;
}

/** Area under the ROC curve by the rank-sum (Mann-Whitney U) formula; ties count half. */
export function rocAuc(rows: readonly ScoredRow[]): number | null {
  const positives = rows.filter((row) => row.label === 1).length;
  const negatives = rows.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const sorted = [...rows].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  for (let index = 0; index < sorted.length; ) {
    let end = index;
    while (end + 1 < sorted.length && sorted[end + 1]!.score === sorted[index]!.score) end++;
    const averageRank = (index + end) / 2 + 1;
    for (let tie = index; tie <= end; tie++) if (sorted[tie]!.label === 1) rankSum += averageRank;
    index = end + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The best recall over score thresholds whose false-positive rate is at most `maxFpr`.
 * Rows at exactly the threshold are flagged (score ≥ threshold); a score of 0 is never flagged.
 */
export function recallAtFpr(rows: readonly ScoredRow[], maxFpr: number): number | null {
  const positives = rows.filter((row) => row.label === 1).length;
  const negatives = rows.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const thresholds = [...new Set(rows.map((row) => row.score).filter((score) => score > 0))].sort(
    (a, b) => b - a,
  );
  let best = 0;
  for (const threshold of thresholds) {
    let truePositives = 0;
    let falsePositives = 0;
    for (const row of rows) {
      if (row.score < threshold) continue;
      if (row.label === 1) truePositives++;
      else falsePositives++;
    }
    if (falsePositives / negatives > maxFpr) break;
    best = Math.max(best, truePositives / positives);
  }
  return best;
}

export function metrics(rows: readonly ScoredRow[]): Metrics {
  const counts = confusion(rows);
  const precision = ratio(counts.truePositives, counts.truePositives + counts.falsePositives);
  const recall = ratio(counts.truePositives, counts.truePositives + counts.falseNegatives);
  const f1 =
    precision === null || recall === null || precision + recall === 0
      ? null
      : (2 * precision * recall) / (precision + recall);
  return {
    positives: counts.truePositives + counts.falseNegatives,
    negatives: counts.trueNegatives + counts.falsePositives,
    precision,
    recall,
    f1,
    falsePositiveRate: ratio(counts.falsePositives, counts.falsePositives + counts.trueNegatives),
    rocAuc: rocAuc(rows),
    recallAt1PercentFpr: recallAtFpr(rows, 0.01),
  };
}

/** The value at a fraction (0.5 = median, 0.99 = p99) of an ascending list of measurements. */
export function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}
