/** What `/.well-known/security.txt` and `/security` say; parsed once from the environment. */
export interface SecurityTxtConfig {
  /** `mailto:` or `https:` URIs, in order of preference. At least one (RFC 9116 §2.5.3). */
  contacts: string[];
  /** Days from now the file expires; recomputed on every request, so it is never in the past. */
  expiresInDays: number;
  /** URL of the disclosure policy; default the server's own `/security` page. */
  policyUrl: string | undefined;
  /** Language tags (RFC 5646) the security team reads. */
  preferredLanguages: string[];
  /** Public base URL of the server (for Canonical and defaults); from the request when unset. */
  publicUrl: string | undefined;
  /** Optional extra fields (RFC 9116 §2.5): Encryption, Acknowledgments, Hiring. */
  encryption: string | undefined;
  acknowledgments: string | undefined;
}

/**
 * RFC 9116 §2.5.5 recommends an Expires less than a year ahead, so that stale contacts are not
 * trusted forever; 180 days keeps well inside it.
 */
export const DEFAULT_SECURITY_TXT_EXPIRES_DAYS = 180;

/**
 * Reads the security.txt settings; a bad value throws naming the variable.
 * `WARDEN_SECURITY_CONTACT` (comma-separated URIs), `WARDEN_SECURITY_TXT_EXPIRES_DAYS` (1–365),
 * `WARDEN_SECURITY_POLICY_URL`, `WARDEN_SECURITY_LANGUAGES` (comma-separated, default `en`),
 * `WARDEN_PUBLIC_URL`, `WARDEN_SECURITY_ENCRYPTION`, `WARDEN_SECURITY_ACKNOWLEDGMENTS`.
 * @example const config = parseSecurityTxtConfig(process.env)
 */
export function parseSecurityTxtConfig(
  env: Readonly<Record<string, string | undefined>>,
): SecurityTxtConfig {
  const list = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0);
  const contacts = list(env.WARDEN_SECURITY_CONTACT);
  for (const contact of contacts) {
    if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+|tel:\+?[0-9-]+)$/.test(contact)) {
      throw new Error(
        `WARDEN_SECURITY_CONTACT: "${contact}" is not a mailto:, https: or tel: URI (RFC 9116 §2.5.3)`,
      );
    }
  }
  const daysText = env.WARDEN_SECURITY_TXT_EXPIRES_DAYS;
  const expiresInDays =
    daysText === undefined || daysText === ''
      ? DEFAULT_SECURITY_TXT_EXPIRES_DAYS
      : Number(daysText);
  if (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 365) {
    throw new Error(
      `WARDEN_SECURITY_TXT_EXPIRES_DAYS: expected a whole number of days from 1 to 365, got "${daysText}"`,
    );
  }
  const url = (variable: string): string | undefined => {
    const value = env[variable];
    if (value === undefined || value === '') return undefined;
    if (!/^https?:\/\/[^\s]+$/.test(value)) {
      throw new Error(`${variable}: expected an http(s) URL, got "${value}"`);
    }
    return value.replace(/\/+$/, '');
  };
  const preferredLanguages = list(env.WARDEN_SECURITY_LANGUAGES);
  for (const language of preferredLanguages) {
    if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(language)) {
      throw new Error(
        `WARDEN_SECURITY_LANGUAGES: "${language}" is not a language tag (e.g. en, fr, pt-BR)`,
      );
    }
  }
  return {
    contacts,
    expiresInDays,
    policyUrl: url('WARDEN_SECURITY_POLICY_URL'),
    preferredLanguages: preferredLanguages.length > 0 ? preferredLanguages : ['en'],
    publicUrl: url('WARDEN_PUBLIC_URL'),
    encryption: url('WARDEN_SECURITY_ENCRYPTION'),
    acknowledgments: url('WARDEN_SECURITY_ACKNOWLEDGMENTS'),
  };
}

/**
 * The text of `/.well-known/security.txt` (RFC 9116). `origin` is the server's public origin
 * (from configuration, else the request), used for Canonical and the default Contact and Policy.
 * @example context.text(buildSecurityTxt(config, { now: new Date(), origin: 'https://warden.example.com' }))
 */
export function buildSecurityTxt(
  config: SecurityTxtConfig,
  options: { now: Date; origin: string },
): string {
  const origin = config.publicUrl ?? options.origin;
  const expires = new Date(options.now.getTime() + config.expiresInDays * 86_400_000);
  // Whole seconds, UTC: the RFC 3339 form RFC 9116 §2.5.5 shows.
  expires.setUTCMilliseconds(0);
  const contacts = config.contacts.length > 0 ? config.contacts : [`${origin}/security`];
  const lines = [
    ...contacts.map((contact) => `Contact: ${contact}`),
    `Expires: ${expires.toISOString().replace('.000Z', 'Z')}`,
    ...(config.encryption ? [`Encryption: ${config.encryption}`] : []),
    ...(config.acknowledgments ? [`Acknowledgments: ${config.acknowledgments}`] : []),
    `Preferred-Languages: ${config.preferredLanguages.join(', ')}`,
    `Canonical: ${origin}/.well-known/security.txt`,
    `Policy: ${config.policyUrl ?? `${origin}/security`}`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The `/security` page: how to report a vulnerability in this deployment and what reporters
 * can expect. Plain HTML, no scripts or styles, so the app's strict Content-Security-Policy applies as is.
 * @example context.html(buildSecurityPage(config, { origin }))
 */
export function buildSecurityPage(config: SecurityTxtConfig, options: { origin: string }): string {
  const origin = config.publicUrl ?? options.origin;
  const contactItems =
    config.contacts.length > 0
      ? config.contacts
          .map(
            (contact) =>
              `<li><a href="${escapeHtml(contact)}">${escapeHtml(contact.replace(/^mailto:/, ''))}</a></li>`,
          )
          .join('')
      : '<li>The operators of this deployment have not configured a contact (WARDEN_SECURITY_CONTACT). For vulnerabilities in Warden itself, use the private vulnerability reporting of the Warden project repository.</li>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Security and vulnerability disclosure</title>
</head>
<body>
<h1>Security and vulnerability disclosure</h1>
<p>We take the security of this Warden control plane and of the data it holds seriously, and we welcome reports from security researchers.</p>
<h2>How to report</h2>
<ul>${contactItems}</ul>
<p>Please include what you found, the steps to reproduce it, and the impact you expect. Encrypt sensitive details${config.encryption ? ` with <a href="${escapeHtml(config.encryption)}">our key</a>` : ''}. Machine-readable contacts are in <a href="${escapeHtml(origin)}/.well-known/security.txt"><code>/.well-known/security.txt</code></a>.</p>
<h2>What we ask</h2>
<ul>
<li>Test only against accounts and organisations you own; never access, change or delete data of others.</li>
<li>No denial of service, spam or social engineering; stop and report as soon as you reach data that is not yours.</li>
<li>Give us reasonable time to fix the problem before you disclose it: we aim for 90 days, less for issues already exploited.</li>
</ul>
<h2>What we commit to</h2>
<ul>
<li>We acknowledge a report within 3 business days and keep you informed until it is fixed.</li>
<li>We will not take legal action against good-faith research that follows this policy.</li>
<li>With your permission, we credit you when we publish the fix${config.acknowledgments ? ` (<a href="${escapeHtml(config.acknowledgments)}">acknowledgments</a>)` : ''}.</li>
</ul>
<p>Preferred languages: ${escapeHtml(config.preferredLanguages.join(', '))}.</p>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
