import { describe, expect, it } from 'vitest';
import { createScanner } from '../scanner.js';
import {
  hasCardIssuerPrefix,
  isIban,
  isIpv6,
  isPaymentCardNumber,
  isValidSsn,
  parseIpv4,
  passesIbanChecksum,
  passesLuhn,
} from './pii-validators.js';

// Layer 1 alone: these tests are about the rules, not about what the model adds.
const scanner = createScanner({ layers: ['l1'] });

/** PII findings the default policy would act on (score at or above 0.5), as `id: text`. */
function pii(text: string): string[] {
  return scanner
    .scan({ kind: 'output', text })
    .findings.filter((finding) => finding.category === 'pii' && finding.score >= 0.5)
    .map((finding) => `${finding.ruleId}: ${text.slice(finding.span.start, finding.span.end)}`);
}

/** Appends the Luhn check digit to a digit string. */
function withLuhn(partial: string): string {
  for (let digit = 0; digit <= 9; digit++) {
    if (passesLuhn(`${partial}${digit}`)) return `${partial}${digit}`;
  }
  throw new Error('unreachable');
}

/** Builds an IBAN with correct check digits from a country code and a BBAN. */
function makeIban(country: string, bban: string): string {
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (letter) =>
    String(letter.charCodeAt(0) - 55),
  );
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return `${country}${String(98 - remainder).padStart(2, '0')}${bban}`;
}

describe('pii.email', () => {
  it('finds addresses in prose and markup', () => {
    expect(pii('Write to marguerite.okafor@lanternworks.io for the invoice.')).toEqual([
      'pii.email: marguerite.okafor@lanternworks.io',
    ]);
    expect(pii('<a href="mailto:d.ivanova+billing@pinecrest-dental.co.uk">mail</a>')).toEqual([
      'pii.email: d.ivanova+billing@pinecrest-dental.co.uk',
    ]);
  });

  it('ignores package versions, image densities, git remotes and URL logins', () => {
    expect(pii('npm install left-trim@2.1.0 @quiet/kit@1.0.3')).toEqual([]);
    expect(pii('<img src="icons/logo@2x.png">')).toEqual([]);
    expect(pii('git clone git@git.hostedrepo.net:team/app.git')).toEqual([]);
    expect(pii('redis://cache:Vx81qPz@cache.internal:6379')).toEqual([]);
  });

  it('scores documentation domains below the action threshold', () => {
    expect(pii('Contact someone@example.com for details.')).toEqual([]);
  });
});

describe('pii.phone', () => {
  it.each([
    ['Call the front desk on +44 20 7946 0321 today.', '+44 20 7946 0321'],
    ['Support: +1 (415) 555-0132 ext. 204', '+1 (415) 555-0132 ext. 204'],
    ['Her number is (312) 555-0187.', '(312) 555-0187'],
    ['reach me at 646-555-0143 after six', '646-555-0143'],
    ['Mobile: 06 12 48 93 07', '06 12 48 93 07'],
    ['Phone:\n0171 4839 221', '0171 4839 221'],
    ['Fax 030 9876 5432', '030 9876 5432'],
    ['0044 161 496 0753 (office)', '0044 161 496 0753'],
    ['Text me on 0412 888 301 when you land', '0412 888 301'],
  ])('finds %s', (text, number) => {
    expect(pii(text)).toContain(`pii.phone: ${number}`);
  });

  it.each([
    'The meeting moved to 2024-03-15 at 10:30.',
    'Invoice dated 15.03.2024, total 1 250 000.',
    'Upgrade to version 10.4.12.3 before Friday.',
    'The population grew to 4817263 by the census.',
    'Order 5730194462 ships tomorrow.',
    'Between 1990-2020 the river moved 12 km.',
    'Timestamp 12:30:45 recorded.',
    'Our offices are at 4521 188 Harbour Lane.',
    'ISBN 978-0-306-40615-7',
    'The sum 2 + 34567890 is even.',
  ])('ignores %s', (text) => {
    expect(pii(text).filter((finding) => finding.startsWith('pii.phone'))).toEqual([]);
  });
});

describe('pii.payment-card', () => {
  const visa = withLuhn('453201877264519');
  const mastercard = withLuhn('542418776201936');
  const amex = withLuhn('37146290355018');
  const discover = withLuhn('601174409821375');

  it('finds card numbers with and without separators', () => {
    expect(pii(`Charge card ${visa} for the deposit.`)).toContain(`pii.payment-card: ${visa}`);
    const spaced = mastercard.replace(/(\d{4})(?=\d)/g, '$1 ');
    expect(pii(`MC ${spaced} exp 09/27`)).toContain(`pii.payment-card: ${spaced}`);
    const dashed = discover.replace(/(\d{4})(?=\d)/g, '$1-');
    expect(pii(`card: ${dashed}`)).toContain(`pii.payment-card: ${dashed}`);
    const amexGrouped = `${amex.slice(0, 4)} ${amex.slice(4, 10)} ${amex.slice(10)}`;
    expect(pii(`Amex ${amexGrouped}`)).toContain(`pii.payment-card: ${amexGrouped}`);
  });

  it('ignores numbers that fail Luhn, have no issuer, or are grouped unlike cards', () => {
    const broken = `${visa.slice(0, -1)}${(Number(visa.at(-1)) + 1) % 10}`;
    expect(pii(`ref ${broken}`)).toEqual([]);
    expect(pii(`tracking ${withLuhn('912345678901234')}`)).toEqual([]);
    expect(pii(`id ${visa.slice(0, 2)} ${visa.slice(2, 9)} ${visa.slice(9)}`)).toEqual([]);
    expect(pii('0000 0000 0000 0000')).toEqual([]);
  });
});

describe('pii.iban', () => {
  const german = makeIban('DE', '370400440532013017');
  const british = makeIban('GB', 'NWBK60161331926819');
  const dutch = makeIban('NL', 'RABO0300065264');

  it('finds IBANs, compact or in groups of four', () => {
    expect(pii(`Please wire it to ${german}.`)).toContain(`pii.iban: ${german}`);
    const grouped = british.replace(/(.{4})(?=.)/g, '$1 ');
    expect(pii(`IBAN: ${grouped}`)).toContain(`pii.iban: ${grouped}`);
    expect(pii(`rekening ${dutch}`)).toContain(`pii.iban: ${dutch}`);
  });

  it('ignores wrong checksums, wrong lengths and unknown countries', () => {
    const wrongCheck = `${german.slice(0, 2)}${german[2] === '9' ? '0' : '9'}${german.slice(3)}`;
    expect(pii(wrongCheck)).toEqual([]);
    expect(pii(makeIban('DE', '37040044053201301'))).toEqual([]);
    expect(pii(makeIban('QQ', '370400440532013017'))).toEqual([]);
  });
});

describe('pii.us-ssn', () => {
  it('finds dashed numbers and labelled numbers', () => {
    expect(pii('Applicant SSN 512-48-7301 on file.')).toContain('pii.us-ssn: 512-48-7301');
    expect(pii('record 771-20-4419 updated')).toContain('pii.us-ssn: 771-20-4419');
    expect(pii('social security number: 512 48 7301')).toContain('pii.us-ssn: 512 48 7301');
    expect(pii('SSN: 512487301')).toContain('pii.us-ssn: 512487301');
  });

  it('ignores numbers that were never issued, and unlabelled spaced digits', () => {
    for (const number of [
      '000-12-3456',
      '666-12-3456',
      '912-34-5678',
      '512-00-7301',
      '512-48-0000',
    ]) {
      expect(pii(`id ${number}`), number).toEqual([]);
    }
    expect(pii('route 512 48 7301')).toEqual([]);
    expect(pii('batch 512487301')).toEqual([]);
  });
});

describe('pii.ip-address', () => {
  it('finds public IPv4 and IPv6 addresses', () => {
    expect(pii('Login from 81.2.69.142 was blocked.')).toContain('pii.ip-address: 81.2.69.142');
    expect(pii('client 2a02:6b8:bf01::3a7f:91 connected')).toContain(
      'pii.ip-address: 2a02:6b8:bf01::3a7f:91',
    );
    expect(pii('addr 2607:f0d0:1002:0051:0000:0000:0000:0004')).toContain(
      'pii.ip-address: 2607:f0d0:1002:0051:0000:0000:0000:0004',
    );
  });

  it('ignores versions, invalid octets, clocks, C++ scopes and local addresses', () => {
    expect(pii('Requires v4.2.1.9 or newer')).toEqual([]);
    expect(pii('package@4.2.1.9')).toEqual([]);
    expect(pii('value 300.12.4.1')).toEqual([]);
    expect(pii('at 12:30:45 the job ran')).toEqual([]);
    expect(pii('std::vector<int>::iterator')).toEqual([]);
    expect(pii('listen on 127.0.0.1 and 0.0.0.0, or 10.0.0.5 inside')).toEqual([]);
    expect(pii('oid 1.3.6.1.4.1.311')).toEqual([]);
  });
});

describe('validators', () => {
  it('computes Luhn', () => {
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
    expect(passesLuhn('12a4')).toBe(false);
  });

  it('knows card issuer ranges and lengths', () => {
    expect(hasCardIssuerPrefix(withLuhn('453201877264519'))).toBe(true);
    expect(hasCardIssuerPrefix(withLuhn('22210087654321'))).toBe(false); // Mastercard 2-series is 16 digits
    expect(hasCardIssuerPrefix(withLuhn('222100876543210'))).toBe(true);
    expect(hasCardIssuerPrefix(withLuhn('91234567890123'))).toBe(false);
    expect(isPaymentCardNumber(withLuhn('37146290355018'))).toBe(true);
  });

  it('computes the IBAN mod-97 check and length table', () => {
    const iban = makeIban('FR', '20041010050500013M02606');
    expect(passesIbanChecksum(iban)).toBe(true);
    expect(isIban(iban)).toBe(true);
    expect(isIban(`${iban}1`)).toBe(false);
    expect(passesIbanChecksum(iban.replace('M', 'N'))).toBe(false);
  });

  it('knows which SSNs can exist', () => {
    expect(isValidSsn('512', '48', '7301')).toBe(true);
    expect(isValidSsn('666', '48', '7301')).toBe(false);
    expect(isValidSsn('901', '48', '7301')).toBe(false);
    expect(isValidSsn('123', '45', '6789')).toBe(false);
  });

  it('parses IP addresses', () => {
    expect(parseIpv4('203.0.113.9')).toEqual([203, 0, 113, 9]);
    expect(parseIpv4('203.0.113')).toBeUndefined();
    expect(parseIpv4('203.00.113.9')).toBeUndefined();
    expect(isIpv6('fe80::1')).toBe(true);
    expect(isIpv6('1:2:3:4:5:6:7:8')).toBe(true);
    expect(isIpv6('1:2:3:4:5:6:7')).toBe(false);
    expect(isIpv6('1::2::3')).toBe(false);
    expect(isIpv6('12345::1')).toBe(false);
  });

  it('scans adversarial input in linear time', () => {
    const inputs = [
      '@'.repeat(100_000),
      '1 '.repeat(60_000),
      '1.'.repeat(60_000),
      'ab:'.repeat(40_000),
      'DE12'.repeat(30_000),
    ];
    const started = performance.now();
    for (const text of inputs) pii(text);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
