/** Longest text the model reads at once; longer texts are read in overlapping windows. */
export const WINDOW_LENGTH = 2048;
/** Step between windows: consecutive windows share a quarter, so no sentence is only ever cut. */
export const WINDOW_STEP = 1536;

/**
 * The [start, end) windows the model reads a text in. Every window is scored on its own and the
 * strongest counts, so an attack weighs the same wherever it sits in a long document.
 * @example textWindows('a'.repeat(5000)) // [[0, 2048], [1536, 3584], [3072, 5000]]
 */
export function textWindows(length: number): Array<[number, number]> {
  if (length <= WINDOW_LENGTH) return [[0, length]];
  const windows: Array<[number, number]> = [];
  for (let start = 0; ; start += WINDOW_STEP) {
    const end = Math.min(start + WINDOW_LENGTH, length);
    // The last window is pulled back to full length rather than left as a short tail.
    const from = end === length ? Math.max(0, length - WINDOW_LENGTH) : start;
    windows.push([from, end]);
    if (end === length) break;
  }
  return windows;
}
