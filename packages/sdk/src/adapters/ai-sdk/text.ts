/** Small conversions shared by the AI SDK middleware and the tool guard. */

/** The text Warden scans for a tool's result: strings as they are, anything else as JSON. */
export function toolResultText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A tool call's input as the provider interface carries it: the JSON string of the arguments. */
export function argumentsToInput(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? {});
}
