import { describe, expect, it } from 'vitest';
import { confusion, metrics, recallAtFpr, rocAuc, type ScoredRow } from './metrics.js';

const row = (label: 0 | 1, score: number, flagged = score >= 0.5): ScoredRow => ({
  label,
  score,
  flagged,
});

describe('metrics', () => {
  it('counts the confusion matrix', () => {
    expect(confusion([row(1, 0.9), row(1, 0.1), row(0, 0.7), row(0, 0.2)])).toEqual({
      truePositives: 1,
      falseNegatives: 1,
      falsePositives: 1,
      trueNegatives: 1,
    });
  });

  it('computes precision, recall, F1 and FPR', () => {
    const result = metrics([
      row(1, 0.9),
      row(1, 0.8),
      row(1, 0.1),
      row(0, 0.7),
      row(0, 0.2),
      row(0, 0.1),
    ]);
    expect(result.precision).toBeCloseTo(2 / 3);
    expect(result.recall).toBeCloseTo(2 / 3);
    expect(result.f1).toBeCloseTo(2 / 3);
    expect(result.falsePositiveRate).toBeCloseTo(1 / 3);
  });

  it('computes ROC-AUC with ties counted half', () => {
    expect(rocAuc([row(1, 0.9), row(0, 0.1)])).toBe(1);
    expect(rocAuc([row(1, 0.1), row(0, 0.9)])).toBe(0);
    expect(rocAuc([row(1, 0.5), row(0, 0.5)])).toBe(0.5);
    expect(rocAuc([row(1, 0.5)])).toBeNull();
  });

  it('finds the best recall at a false-positive budget', () => {
    const negatives = Array.from({ length: 100 }, (_, index) => row(0, index === 0 ? 0.8 : 0));
    const positives = [row(1, 0.9), row(1, 0.8), row(1, 0.3), row(1, 0)];
    // Threshold 0.8 costs 1 FP in 100 (1%): recall 2/4. Threshold 0.3 keeps FPR at 1% too.
    expect(recallAtFpr([...negatives, ...positives], 0.01)).toBe(0.75);
    expect(recallAtFpr([...negatives, ...positives], 0)).toBe(0.25);
  });
});
