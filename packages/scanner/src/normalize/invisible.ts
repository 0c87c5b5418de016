/** Unicode tag characters (U+E0000–U+E007F): invisible, and they spell ASCII when decoded. */
export function isTagCharacter(codePoint: number): boolean {
  return codePoint >= 0xe0000 && codePoint <= 0xe007f;
}

/** Bidi embedding/override/isolate controls: they reorder what a human sees versus what a model reads. */
export function isBidiControl(codePoint: number): boolean {
  return (
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069) ||
    codePoint === 0x200e ||
    codePoint === 0x200f ||
    codePoint === 0x061c
  );
}

/** Zero-width and other default-ignorable characters that render as nothing. */
export function isInvisible(codePoint: number): boolean {
  if (codePoint < 0xad) return false;
  return (
    codePoint === 0xad ||
    codePoint === 0x34f ||
    codePoint === 0x115f ||
    codePoint === 0x1160 ||
    codePoint === 0x17b4 ||
    codePoint === 0x17b5 ||
    (codePoint >= 0x180b && codePoint <= 0x180f) ||
    (codePoint >= 0x200b && codePoint <= 0x200d) ||
    (codePoint >= 0x2060 && codePoint <= 0x2065) ||
    (codePoint >= 0x206a && codePoint <= 0x206f) ||
    codePoint === 0x3164 ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f) ||
    codePoint === 0xfeff ||
    codePoint === 0xffa0 ||
    (codePoint >= 0x1d173 && codePoint <= 0x1d17a) ||
    (codePoint >= 0xe0100 && codePoint <= 0xe01ef) ||
    isTagCharacter(codePoint) ||
    isBidiControl(codePoint)
  );
}
