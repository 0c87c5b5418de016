import { describe, expect, it } from 'vitest';
import { buildSecurityPage, buildSecurityTxt, parseSecurityTxtConfig } from './security-txt.js';

describe('security.txt', () => {
  it('writes every RFC 9116 field, with Expires computed from now', () => {
    const config = parseSecurityTxtConfig({
      WARDEN_SECURITY_CONTACT: 'mailto:security@example.com, https://example.com/report',
      WARDEN_SECURITY_LANGUAGES: 'en, fr',
      WARDEN_PUBLIC_URL: 'https://warden.example.com/',
    });
    const text = buildSecurityTxt(config, {
      now: new Date('2026-11-26T00:00:00.123Z'),
      origin: 'http://ignored',
    });
    expect(text).toBe(
      [
        'Contact: mailto:security@example.com',
        'Contact: https://example.com/report',
        'Expires: 2027-05-25T00:00:00Z',
        'Preferred-Languages: en, fr',
        'Canonical: https://warden.example.com/.well-known/security.txt',
        'Policy: https://warden.example.com/security',
        '',
      ].join('\n'),
    );
  });

  it('never expires in the past, whenever it is asked', () => {
    const config = parseSecurityTxtConfig({ WARDEN_SECURITY_TXT_EXPIRES_DAYS: '1' });
    for (const now of [
      new Date('2020-01-01T00:00:00Z'),
      new Date(),
      new Date('2040-06-01T12:00:00Z'),
    ]) {
      const text = buildSecurityTxt(config, { now, origin: 'https://w.example' });
      const expires = Date.parse(/Expires: (.+)/.exec(text)![1]!);
      expect(expires).toBeGreaterThan(now.getTime());
    }
  });

  it('defaults to the server origin for Contact, Policy and Canonical', () => {
    const text = buildSecurityTxt(parseSecurityTxtConfig({}), {
      now: new Date(),
      origin: 'https://w.example',
    });
    expect(text).toContain('Contact: https://w.example/security\n');
    expect(text).toContain('Preferred-Languages: en\n');
    expect(text).toContain('Canonical: https://w.example/.well-known/security.txt\n');
  });

  it('names the variable of a bad setting', () => {
    expect(() =>
      parseSecurityTxtConfig({ WARDEN_SECURITY_CONTACT: 'security@example.com' }),
    ).toThrow(/WARDEN_SECURITY_CONTACT/);
    expect(() => parseSecurityTxtConfig({ WARDEN_SECURITY_TXT_EXPIRES_DAYS: '400' })).toThrow(
      /WARDEN_SECURITY_TXT_EXPIRES_DAYS/,
    );
    expect(() => parseSecurityTxtConfig({ WARDEN_SECURITY_LANGUAGES: 'en;drop' })).toThrow(
      /WARDEN_SECURITY_LANGUAGES/,
    );
    expect(() => parseSecurityTxtConfig({ WARDEN_PUBLIC_URL: 'ftp://x' })).toThrow(
      /WARDEN_PUBLIC_URL/,
    );
  });

  it('renders the disclosure page with escaped contacts', () => {
    const config = parseSecurityTxtConfig({ WARDEN_SECURITY_CONTACT: 'https://example.com/a"b' });
    const html = buildSecurityPage(config, { origin: 'https://w.example' });
    expect(html).toContain('<h1>Security and vulnerability disclosure</h1>');
    expect(html).toContain('https://example.com/a&#34;b');
    expect(html).not.toContain('<script');
  });
});
