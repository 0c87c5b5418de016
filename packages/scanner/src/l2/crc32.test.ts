import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';
import { decodeBase64, decodeBase64Portable } from './model.js';

describe('crc32', () => {
  it('matches the IEEE check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('decodeBase64', () => {
  it('decodes like the platform decoder, padding included', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 31, 256]) {
      const bytes = Uint8Array.from({ length }, (_, index) => (index * 73 + 11) % 256);
      const encoded = Buffer.from(bytes).toString('base64');
      expect(decodeBase64(encoded, length)).toEqual(bytes);
      expect(decodeBase64Portable(encoded, length)).toEqual(bytes);
    }
  });
});
