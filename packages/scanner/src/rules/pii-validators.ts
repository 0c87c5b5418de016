/**
 * Checksums and structure checks for personal data: payment cards (Luhn, issuer ranges),
 * IBANs (ISO 13616 length table, ISO 7064 mod 97-10), US social security numbers and IP
 * addresses. Pure functions, no runtime dependencies.
 */

/**
 * Luhn (mod 10) checksum over a string of digits.
 *
 * @example passesLuhn('4539578763621486') // true
 */
export function passesLuhn(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let digit = digits.charCodeAt(index) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Issuer ranges: [first prefix, last prefix, allowed lengths]. Prefixes compared as numbers of equal width. */
const CARD_RANGES: readonly (readonly [string, string, readonly number[]])[] = [
  ['4', '4', [13, 16, 19]], // Visa
  ['51', '55', [16]], // Mastercard
  ['2221', '2720', [16]], // Mastercard 2-series
  ['34', '34', [15]], // American Express
  ['37', '37', [15]], // American Express
  ['6011', '6011', [16, 17, 18, 19]], // Discover
  ['644', '649', [16, 17, 18, 19]], // Discover
  ['65', '65', [16, 17, 18, 19]], // Discover, RuPay
  ['300', '305', [14, 15, 16, 17, 18, 19]], // Diners Club
  ['3095', '3095', [14, 15, 16, 17, 18, 19]], // Diners Club
  ['36', '36', [14, 15, 16, 17, 18, 19]], // Diners Club
  ['38', '39', [14, 15, 16, 17, 18, 19]], // Diners Club
  ['3528', '3589', [15, 16, 17, 18, 19]], // JCB
  ['2131', '2131', [15]], // JCB (legacy)
  ['1800', '1800', [15]], // JCB (legacy)
  ['50', '50', [12, 13, 14, 15, 16, 17, 18, 19]], // Maestro, Verve
  ['56', '69', [12, 13, 14, 15, 16, 17, 18, 19]], // Maestro, UnionPay, Discover, RuPay
  ['2200', '2204', [16, 17, 18, 19]], // Mir
  ['81', '82', [16]], // RuPay
];

/**
 * True when a digit string has the prefix and length of a card network.
 *
 * @example hasCardIssuerPrefix('378282246310005') // true (American Express)
 */
export function hasCardIssuerPrefix(digits: string): boolean {
  for (const [first, last, lengths] of CARD_RANGES) {
    if (!lengths.includes(digits.length)) continue;
    const prefix = Number(digits.slice(0, first.length));
    if (prefix >= Number(first) && prefix <= Number(last)) return true;
  }
  return false;
}

/**
 * True for a plausible payment card number: issuer prefix, length and Luhn checksum.
 *
 * @example isPaymentCardNumber('5555555555554444') // true
 */
export function isPaymentCardNumber(digits: string): boolean {
  return hasCardIssuerPrefix(digits) && passesLuhn(digits);
}

/** IBAN length per country (ISO 13616 registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/**
 * ISO 7064 mod 97-10 check of an IBAN without separators: the remainder must be 1.
 *
 * @example passesIbanChecksum('GB82WEST12345698765432') // true
 */
export function passesIbanChecksum(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    // Letters count as two digits: A = 10 … Z = 35.
    if (code >= 65) remainder = (remainder * 100 + (code - 55)) % 97;
    else remainder = (remainder * 10 + (code - 48)) % 97;
  }
  return remainder === 1;
}

/**
 * True for a valid IBAN (separators removed): known country, its length, and the checksum.
 *
 * @example isIban('DE89370400440532013000') // true
 */
export function isIban(compact: string): boolean {
  const length = IBAN_LENGTHS[compact.slice(0, 2)];
  return length !== undefined && compact.length === length && passesIbanChecksum(compact);
}

/**
 * True for a US social security number that could have been issued: area not 000, 666 or
 * 900–999, group not 00, serial not 0000, and not one of the numbers published as examples.
 *
 * @example isValidSsn('123', '45', '6789') // false (the advertising example)
 */
export function isValidSsn(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area.startsWith('9')) return false;
  if (group === '00' || serial === '0000') return false;
  const joined = `${area}${group}${serial}`;
  if (joined === '123456789' || joined === '078051120' || joined === '219099999') return false;
  return !/^(\d)\1{8}$/.test(joined);
}

/**
 * Parses a dotted-quad IPv4 address; undefined when an octet is out of range or zero-padded.
 *
 * @example parseIpv4('192.0.2.1') // [192, 0, 2, 1]
 */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    octets.push(value);
  }
  return octets;
}

/**
 * True for a textual IPv6 address (RFC 4291 forms, `::` compression, no zone or embedded IPv4).
 *
 * @example isIpv6('2001:db8::8a2e:370:7334') // true
 */
export function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half.length === 0 ? [] : half.split(':')));
  if (!groups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}
