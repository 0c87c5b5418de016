import { describe, expect, it } from 'vitest';
import { createScanner } from '../scanner.js';
import {
  credentialKind,
  findAssignments,
  scoreCredentialValue,
  splitName,
} from './secrets-generic.js';
import { isPlausibleTokenBody } from './secrets-providers.js';
import { isRealPassword } from './secrets-structured.js';
import {
  ascendingRuns,
  decodeBase64,
  dominantCharacterShare,
  hasRandomEntropy,
  isPlaceholderValue,
  looksLikeIdentifier,
  shannonEntropy,
} from './secrets-text.js';

// Layer 1 alone: these tests are about the rules, not about what the model adds.
const scanner = createScanner({ layers: ['l1'] });

/** Ids of the secret findings the default policy would act on (score at or above 0.5). */
function secretIds(text: string): string[] {
  return scanner
    .scan({ kind: 'output', text })
    .findings.filter((finding) => finding.category === 'secret' && finding.score >= 0.5)
    .map((finding) => finding.ruleId);
}

function spanOf(text: string, ruleId: string): string | undefined {
  const finding = scanner
    .scan({ kind: 'output', text })
    .findings.find((candidate) => candidate.ruleId === ruleId);
  return finding === undefined ? undefined : text.slice(finding.span.start, finding.span.end);
}

// Every token below is generated here from a fixed seed: format-valid, random, and fake.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const BASE32_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = `${ALNUM}+/`;
const URL_SAFE = `${ALNUM}-_`;
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l'.toUpperCase();

let nextSeed = 1;
function fake(alphabet: string, length: number): string {
  const random = seededRandom(nextSeed++ * 7919);
  let out = '';
  for (let index = 0; index < length; index++)
    out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

function base64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

describe('cloud provider credentials', () => {
  it('finds AWS access key ids and secret keys assigned in context', () => {
    const keyId = `AKIA${fake(BASE32_UPPER, 16)}`;
    expect(secretIds(`aws configure set aws_access_key_id ${keyId}`)).toContain(
      'secret.aws-access-key-id',
    );
    const secret = fake(BASE64, 40);
    expect(secretIds(`aws_secret_access_key = ${secret}`)).toContain(
      'secret.aws-secret-access-key',
    );
    expect(spanOf(`AWS_SECRET_ACCESS_KEY="${secret}"`, 'secret.aws-secret-access-key')).toBe(
      secret,
    );
  });

  it('ignores the documentation key ids and keys', () => {
    expect(secretIds('aws_access_key_id = AKIAIOSFODNN7EXAMPLE')).toEqual([]);
    expect(secretIds('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toEqual(
      [],
    );
    expect(secretIds('key = AKIAXXXXXXXXXXXXXXXX')).toEqual([]);
  });

  it('finds Google, Azure, DigitalOcean, Heroku and Alibaba keys', () => {
    expect(secretIds(`const mapsKey = "AIza${fake(URL_SAFE, 35)}";`)).toContain(
      'secret.gcp-api-key',
    );
    expect(
      secretIds(
        `DefaultEndpointsProtocol=https;AccountName=orchardlogs;AccountKey=${fake(BASE64, 86)}==;EndpointSuffix=core.windows.net`,
      ),
    ).toContain('secret.azure-storage-key');
    expect(secretIds(`DO_TOKEN=dop_v1_${fake(HEX, 64)}`)).toContain('secret.digitalocean-token');
    expect(secretIds(`heroku: HRKU-AA${fake(URL_SAFE, 58)}`)).toContain('secret.heroku-api-key');
    expect(secretIds(`ak = "LTAI${fake(ALNUM, 20)}"`)).toContain('secret.alibaba-access-key-id');
    const sample = `HEROKU_API_KEY=${[8, 4, 4, 4, 12].map((size) => fake(HEX, size)).join('-')}`;
    expect(secretIds(sample)).toContain('secret.heroku-legacy-api-key');
  });

  it('flags a service-account key file', () => {
    const file = `{\n  "type": "service_account",\n  "project_id": "quiet-harbor-42",\n  "private_key_id": "${fake(HEX, 40)}"\n}`;
    expect(secretIds(file)).toContain('secret.gcp-service-account');
  });
});

describe('source control tokens', () => {
  it('finds every GitHub token family', () => {
    for (const prefix of ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_']) {
      expect(secretIds(`token: ${prefix}${fake(ALNUM, 36)}`).length).toBeGreaterThan(0);
    }
    expect(secretIds(`GH_TOKEN=ghp_${fake(ALNUM, 36)}`)).toContain('secret.github-pat');
    const fineGrained = `github_pat_${fake(ALNUM, 22)}_${fake(ALNUM, 59)}`;
    expect(secretIds(`git clone https://x:${fineGrained}@github.com/acme/app`)).toContain(
      'secret.github-fine-grained-pat',
    );
  });

  it('finds GitLab, Bitbucket and Atlassian tokens', () => {
    expect(secretIds(`CI_TOKEN: glpat-${fake(URL_SAFE, 20)}`)).toContain('secret.gitlab-pat');
    expect(secretIds(`runner token glrt-${fake(URL_SAFE, 20)}`)).toContain(
      'secret.gitlab-runner-token',
    );
    expect(secretIds(`deploy token gldt-${fake(URL_SAFE, 20)}`)).toContain('secret.gitlab-token');
    expect(secretIds(`jira: ATATT3${fake(URL_SAFE, 186)}`)).toContain('secret.atlassian-api-token');
    expect(secretIds(`app password ATBB${fake(ALNUM, 32)}`)).toContain(
      'secret.atlassian-api-token',
    );
  });

  it('ignores x-filled placeholders of the same shape', () => {
    expect(secretIds(`ghp_${'x'.repeat(36)}`)).toEqual([]);
    expect(secretIds('glpat-XXXXXXXXXXX-XXXXXXXX')).toEqual([]);
    expect(secretIds(`github_pat_${'x'.repeat(22)}_${'x'.repeat(59)}`)).toEqual([]);
  });
});

describe('chat and collaboration tokens', () => {
  it('finds Slack tokens and webhooks', () => {
    const bot = `xoxb-${fake('0123456789', 12)}-${fake('0123456789', 13)}-${fake(ALNUM, 24)}`;
    expect(secretIds(`SLACK_BOT_TOKEN=${bot}`)).toContain('secret.slack-token');
    const hook = `https://hooks.slack.com/services/T${fake(BASE32_UPPER, 8)}/B${fake(BASE32_UPPER, 10)}/${fake(ALNUM, 24)}`;
    expect(secretIds(`curl -X POST ${hook}`)).toContain('secret.slack-webhook');
    expect(secretIds('xoxb-not-a-real-token')).toEqual([]);
  });

  it('finds Discord, Telegram and Teams credentials', () => {
    const webhook = `https://discord.com/api/webhooks/${fake('0123456789', 18)}/${fake(URL_SAFE, 68)}`;
    expect(secretIds(webhook)).toContain('secret.discord-webhook');
    const userId = `1${fake('0123456789', 17)}`;
    const botToken = `${base64Url(userId)}.${fake(URL_SAFE, 6)}.${fake(URL_SAFE, 38)}`;
    expect(secretIds(`discord bot login ${botToken}`)).toContain('secret.discord-bot-token');
    const telegram = `${fake('123456789', 9)}:AA${fake(URL_SAFE, 33)}`;
    expect(secretIds(`TELEGRAM_BOT_TOKEN=${telegram}`)).toContain('secret.telegram-bot-token');
    const guid = () => [8, 4, 4, 4, 12].map((size) => fake(HEX, size)).join('-');
    const teams = `https://contoso.webhook.office.com/webhookb2/${guid()}@${guid()}/IncomingWebhook/${fake(HEX, 32)}/${guid()}`;
    expect(secretIds(teams)).toContain('secret.microsoft-teams-webhook');
  });

  it('does not read a dotted version or file name as a bot token', () => {
    expect(secretIds('discord bot release MTIz.abcdef.notbase64encodedanythingreally')).toEqual([]);
  });
});

describe('payment provider keys', () => {
  it('finds Stripe, Square, Braintree and Shopify keys', () => {
    expect(secretIds(`stripe.api_key = "sk_live_${fake(ALNUM, 24)}"`)).toContain(
      'secret.stripe-key',
    );
    expect(secretIds(`rk_live_${fake(ALNUM, 24)}`)).toContain('secret.stripe-key');
    expect(secretIds(`SQUARE_ACCESS_TOKEN=EAAA${fake(URL_SAFE, 60)}`)).toContain(
      'secret.square-token',
    );
    expect(secretIds(`square secret sq0csp-${fake(URL_SAFE, 43)}`)).toContain(
      'secret.square-token',
    );
    const braintree = `access_token$production$${fake(LOWER_ALNUM, 16)}$${fake(HEX, 32)}`;
    expect(secretIds(braintree)).toContain('secret.braintree-access-token');
    expect(secretIds(`X-Shopify-Access-Token: shpat_${fake(HEX, 32)}`)).toContain(
      'secret.shopify-token',
    );
  });

  it('scores Stripe test-mode keys lower than live ones', () => {
    const live = scanner.scan({ kind: 'output', text: `sk_live_${fake(ALNUM, 24)}` });
    const test = scanner.scan({ kind: 'output', text: `sk_test_${fake(ALNUM, 24)}` });
    const score = (result: typeof live) =>
      result.findings.find((finding) => finding.ruleId === 'secret.stripe-key')?.score ?? 0;
    expect(score(live)).toBeGreaterThan(score(test));
    expect(score(test)).toBeGreaterThanOrEqual(0.5);
  });
});

describe('AI provider keys', () => {
  it('finds OpenAI, Anthropic, Hugging Face, Groq, Replicate and Perplexity keys', () => {
    const project = `sk-proj-${fake(URL_SAFE, 74)}T3BlbkFJ${fake(URL_SAFE, 74)}`;
    expect(secretIds(`OPENAI_API_KEY=${project}`)).toContain('secret.openai-api-key');
    const legacy = `sk-${fake(ALNUM, 20)}T3BlbkFJ${fake(ALNUM, 20)}`;
    expect(secretIds(legacy)).toContain('secret.openai-api-key');
    const anthropic = `sk-ant-api03-${fake(URL_SAFE, 93)}AA`;
    expect(secretIds(`client = Anthropic(api_key="${anthropic}")`)).toContain(
      'secret.anthropic-api-key',
    );
    expect(secretIds(`huggingface-cli login --token hf_${fake(ALNUM, 34)}`)).toContain(
      'secret.huggingface-token',
    );
    expect(secretIds(`GROQ_API_KEY=gsk_${fake(ALNUM, 52)}`)).toContain('secret.groq-api-key');
    expect(secretIds(`r8_${fake(ALNUM, 37)}`)).toContain('secret.replicate-api-token');
    expect(secretIds(`pplx-${fake(ALNUM, 48)}`)).toContain('secret.perplexity-api-key');
  });

  it('ignores truncated, masked and identifier look-alikes', () => {
    expect(secretIds('OPENAI_API_KEY=sk-proj-...')).toEqual([]);
    expect(secretIds('key: sk-****************************')).toEqual([]);
    expect(secretIds('#define OSCHF_ReadCrystalAmplitudeFromTheBoard 1')).toEqual([]);
    expect(secretIds('hf_fieldDescriptionForTheExportedLayout')).toEqual([]);
    expect(secretIds(`sk-ant-api03-${'abc123xyz-'.repeat(9)}abcBB`)).toEqual([]);
  });
});

describe('developer platform and SaaS tokens', () => {
  it.each([
    ['secret.npm-token', () => `//registry.npmjs.org/:_authToken=npm_${fake(ALNUM, 36)}`],
    ['secret.pypi-token', () => `password = pypi-AgEIcHlwaS5vcmc${fake(URL_SAFE, 70)}`],
    ['secret.sendgrid-api-key', () => `SG.${fake(URL_SAFE, 22)}.${fake(URL_SAFE, 43)}`],
    ['secret.mailgun-api-key', () => `api:key-${fake(HEX, 32)}`],
    ['secret.mailchimp-api-key', () => `${fake(HEX, 32)}-us14`],
    ['secret.postman-api-key', () => `PMAK-${fake(HEX, 24)}-${fake(HEX, 34)}`],
    ['secret.linear-api-key', () => `lin_api_${fake(ALNUM, 40)}`],
    ['secret.notion-token', () => `NOTION_TOKEN=secret_${fake(ALNUM, 43)}`],
    ['secret.doppler-token', () => `dp.pt.${fake(ALNUM, 43)}`],
    ['secret.vault-token', () => `VAULT_TOKEN=hvs.${fake(URL_SAFE, 100)}`],
    ['secret.databricks-token', () => `dapi${fake(HEX, 32)}`],
    ['secret.grafana-token', () => `glsa_${fake(ALNUM, 32)}_${fake(HEX, 8)}`],
    ['secret.grafana-token', () => `glc_${fake(BASE64, 60)}`],
    ['secret.new-relic-key', () => `NRAK-${fake(BASE32_UPPER, 27)}`],
    ['secret.sentry-token', () => `sntryu_${fake(HEX, 64)}`],
    ['secret.onepassword-service-account-token', () => `ops_eyJ${fake(BASE64, 320)}`],
    [
      'secret.onepassword-secret-key',
      () =>
        `A3-${fake(BASE32_UPPER, 6)}-${fake(BASE32_UPPER, 11)}-${fake(BASE32_UPPER, 5)}-${fake(BASE32_UPPER, 5)}-${fake(BASE32_UPPER, 5)}`,
    ],
    ['secret.age-secret-key', () => `AGE-SECRET-KEY-1${fake(BECH32, 58)}`],
    ['secret.twilio-api-key', () => `SK${fake(HEX, 32)}`],
    ['secret.docker-hub-token', () => `docker login -p dckr_pat_${fake(URL_SAFE, 27)}`],
    ['secret.tailscale-key', () => `tskey-auth-${fake(ALNUM, 12)}-${fake(ALNUM, 32)}`],
  ])('%s', (ruleId, make) => {
    expect(secretIds(make())).toContain(ruleId);
  });

  it('reports long tokens whole, so redaction leaves nothing behind', () => {
    const serviceAccount = `ops_eyJ${fake(BASE64, 900)}`;
    expect(
      spanOf(
        `OP_SERVICE_ACCOUNT_TOKEN=${serviceAccount}`,
        'secret.onepassword-service-account-token',
      ),
    ).toBe(serviceAccount);
    const claims = base64Url(`{"sub":"svc-7","roles":[${'"reader",'.repeat(120)}"writer"]}`);
    const token = `${base64Url('{"alg":"RS256","kid":"k1"}')}.${claims}.${fake(URL_SAFE, 342)}`;
    expect(spanOf(`id_token=${token}`, 'secret.jwt')).toBe(token);
  });

  it('finds Datadog and Twilio keys by the name they are assigned to', () => {
    expect(secretIds(`DD_API_KEY=${fake(HEX, 32)}`)).toContain('secret.datadog-api-key');
    expect(secretIds(`twilio_auth_token: "${fake(HEX, 32)}"`)).toContain(
      'secret.twilio-auth-token',
    );
  });
});

describe('private keys', () => {
  const body = () => Array.from({ length: 6 }, () => fake(BASE64, 64)).join('\n');

  it.each(['RSA ', 'EC ', 'DSA ', 'OPENSSH ', 'ENCRYPTED ', ''])(
    'finds a %sPRIVATE KEY block',
    (label) => {
      const block = `-----BEGIN ${label}PRIVATE KEY-----\n${body()}\n-----END ${label}PRIVATE KEY-----`;
      const text = `Here is the key:\n${block}\nKeep it safe.`;
      expect(secretIds(text)).toContain('secret.private-key');
      expect(spanOf(text, 'secret.private-key')).toBe(block);
    },
  );

  it('finds a PGP private key block and a truncated PEM block', () => {
    const pgp = `-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: Keybase\n\n${body()}\n-----END PGP PRIVATE KEY BLOCK-----`;
    expect(secretIds(pgp)).toContain('secret.private-key');
    const truncated = `-----BEGIN RSA PRIVATE KEY-----\n${body()}\n`;
    expect(secretIds(truncated)).toContain('secret.private-key');
  });

  it('ignores empty, elided and public key blocks', () => {
    expect(
      secretIds('-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----'),
    ).toEqual([]);
    expect(
      secretIds('-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----'),
    ).toEqual([]);
    expect(secretIds(`-----BEGIN PUBLIC KEY-----\n${body()}\n-----END PUBLIC KEY-----`)).toEqual(
      [],
    );
  });
});

describe('JSON Web Tokens', () => {
  const jwt = (header: string) =>
    `${base64Url(header)}.${base64Url('{"sub":"user-4821","scope":"orders:write","exp":1900000000}')}.${fake(URL_SAFE, 43)}`;

  it('finds a token whose header names its algorithm', () => {
    const token = jwt('{"alg":"HS256","typ":"JWT"}');
    expect(secretIds(`Authorization: Bearer ${token}`)).toContain('secret.jwt');
    expect(spanOf(`session=${token};`, 'secret.jwt')).toBe(token);
  });

  it('ignores dotted base64 whose header is not a JOSE header', () => {
    expect(secretIds(jwt('{"kind":"note","v":2}'))).toEqual([]);
  });
});

describe('credentials inside URLs, headers and commands', () => {
  it.each([
    'postgres://billing:Vq8#rT2mZx@db.internal:5432/billing',
    'postgresql://svc_orders:k2P9wLx7Qa@10.4.0.12/orders',
    'mysql://reporter:h7Ke3Wq9Lp@mysql.internal/reports',
    'mongodb+srv://etl:Zp4Rt8Kw2Mn@cluster0.abcde.mongodb.net/warehouse',
    'redis://default:Jx9Lq2Vt7Hs@cache.internal:6379/0',
    'amqp://worker:Qe5Rn8Ty3Ui@rabbit.internal:5672/jobs',
  ])('finds the password in %s', (url) => {
    expect(secretIds(`DATABASE_URL=${url}`)).toContain('secret.database-connection-string');
  });

  it.each([
    'postgres://user:password@localhost:5432/app',
    `postgres://app:\${DB_PASSWORD}@db/app`,
    'mysql://root:<password>@localhost/db',
    'mongodb://admin:changeme@localhost/admin',
    'redis://guest:guest@localhost',
    'amqp://user:****@broker',
    'postgresql://localhost:5432/app',
  ])('ignores the placeholder credentials of %s', (url) => {
    expect(secretIds(`DATABASE_URL=${url}`)).toEqual([]);
  });

  it('finds credentials in web URLs, Authorization headers and curl', () => {
    expect(
      secretIds(`git remote add origin https://ci-bot:${fake(ALNUM, 24)}@git.example.org/x.git`),
    ).toContain('secret.url-credentials');
    expect(secretIds(`-H "Authorization: Bearer ${fake(ALNUM, 32)}"`)).toContain(
      'secret.authorization-header',
    );
    const basic = btoa(`deploy-bot:${fake(ALNUM, 18)}`);
    expect(secretIds(`Authorization: Basic ${basic}`)).toContain('secret.basic-auth-credentials');
    expect(secretIds('curl -u grafana-admin:Wq7eR2tY9uI https://metrics.local/api')).toContain(
      'secret.command-line-credentials',
    );
    expect(secretIds('BUNDLE_GEMS__ACME__IO: "builder:Tq8wE3rZ5xY"')).toContain(
      'secret.bundler-credentials',
    );
  });

  it('ignores header and command-line placeholders', () => {
    expect(secretIds('-H "Authorization: Bearer $API_TOKEN"')).toEqual([]);
    expect(secretIds('-H "Authorization: Bearer <your token>"')).toEqual([]);
    expect(secretIds('curl -u "$USER:$PASS" https://host')).toEqual([]);
    expect(secretIds('curl -u user:password https://host')).toEqual([]);
    expect(secretIds('docker run -u 1000:1000 alpine')).toEqual([]);
    expect(secretIds(`Authorization: Basic ${btoa('not a credential')}`)).toEqual([]);
  });
});

describe('credential-named assignments (generic)', () => {
  const value = () => fake(ALNUM, 28);

  it.each([
    (v: string) => `API_KEY=${v}`,
    (v: string) => `export SERVICE_TOKEN="${v}"`,
    (v: string) => `client_secret: '${v}'`,
    (v: string) => `{"apiKey": "${v}"}`,
    (v: string) => `var webhookSecret string = "${v}"`,
    (v: string) => `token := \`${v}\``,
    (v: string) => `<authToken>\n    ${v}\n</authToken>`,
    (v: string) => `System.setProperty("PAYMENTS_SECRET", "${v}")`,
    (v: string) => `  "signing_key" => "${v}",`,
    (v: string) => `deploy --api-key ${v} --region eu`,
    (v: string) => `headers["X-Api-Key"] = "${v}"`,
  ])('finds a random value in syntax %#', (template) => {
    const secret = value();
    const text = template(secret);
    expect(secretIds(text)).toContain('secret.generic-high-entropy');
    expect(spanOf(text, 'secret.generic-high-entropy')).toBe(secret);
  });

  it('finds literal passwords', () => {
    expect(secretIds('db_password = "Tr4vel-Mug-91!"')).toContain('secret.generic-password');
    expect(secretIds('SMTP_PASS=qa7Zr5Lm')).toContain('secret.generic-password');
    expect(secretIds('machine ftp.quarry.test login builder password Kd82-xLq9')).toContain(
      'secret.generic-password',
    );
    expect(secretIds('Server=sql01;Database=ledger;User Id=svc;Password=Wm4!tq9Rz;')).toContain(
      'secret.generic-password',
    );
  });

  it.each([
    'API_KEY=your_api_key_here',
    'OPENAI_API_KEY=<your-openai-key>',
    `token: \${GITHUB_TOKEN}`,
    'secret = "{{ .Values.secret }}"',
    'password: changeme',
    'api_key = "xxxxxxxxxxxxxxxxxxxx"',
    'API_KEY=""',
    'access_token = "dummy-token-value"',
    'password = "test1234"',
    'const apiKey = process.env.OPENAI_API_KEY;',
    "api_key = os.environ['STRIPE_KEY']",
    'token = getAccessTokenFromEnvironment()',
    'client_secret: ClientSecretPlaceholder',
    'max_tokens: 4096',
    'GPT4_MAX_TOKENS=8192',
    'public_key: ssh-ed25519-AAAAC3NzaC1lZDI1NTE5AAAAIGk',
    'token_url: https://auth.example.org/oauth/token',
    'key_file = certs/server.key',
    'cache_key = "u8Qn2Zk1Lp0Vt7Xc"',
    'AUTH_CACHE_TTL=60',
    'password: "********"',
    '# SSO_CLIENT_SECRET=your-client-secret  # pragma: allowlist secret',
    '{"items": [], "nextPageToken": "Q2lBS0dqQnBORGQyTm1wMlptbDJjWFJ3WWpCcE9YQTM"}',
    'cursor_token: dGhlIG5leHQgcGFnZSBzdGFydHMgYXQgMTIw',
  ])('ignores %s', (text) => {
    expect(secretIds(text)).toEqual([]);
  });

  it('reads tool arguments named like credentials', () => {
    const result = scanner.scan({
      kind: 'tool_args',
      tool: 'http_request',
      arguments: { url: 'https://api.service.test/v1/items', api_key: fake(ALNUM, 32) },
    });
    expect(result.findings.map((finding) => finding.ruleId)).toContain(
      'secret.credential-argument',
    );
  });
});

describe('benign high-entropy text', () => {
  it.each([
    '"integrity": "sha512-Qm9vQmFyQmF6UXV4Q29yZ2VHcmF1bHRQbHVnV2l0aFNvbWVUZXN0RGF0YQ4Zx9w==",',
    'resolution: {integrity: sha512-T3ZlcmxhcHBpbmdEZXBzV2l0aEZha2VIYXNoZXNGb3JUaGVUZXN0c09ubHk0==}',
    'golang.org/x/quietlib v0.21.0 h1:Zm9ydHlUd29CeXRlc09mTm90aGluZ1NwZWNpYWw4MjE=',
    'golang.org/x/quietlib v0.21.0/go.mod h1:QW5vdGhlclN0cmluZ09mTm90aGluZ1NwZWM5MA==',
    'checksum = "4f1d0c9e7a2b8d6f3e5c1a0b9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e"',
    '{file = "quietpkg-1.4.2-py3-none-any.whl", hash = "sha256:9b0e4c7d2a1f8e3b6c5d4a3b2c1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f"},',
    'commit 3f9a1c7e5b2d8f0a4c6e1b3d5f7a9c2e4b6d8f0a',
    'request id 7d4f2c9e-1b3a-4e5f-8a6b-0c2d4e6f8a1b completed',
    '"node_modules/quiet-tokenizer": {',
    'resolved "https://registry.yarnpkg.com/quiet-keys/-/quiet-keys-2.0.1.tgz#a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"',
  ])('ignores %s', (text) => {
    expect(secretIds(text)).toEqual([]);
  });
});

describe('validators', () => {
  it('measures Shannon entropy', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBeCloseTo(2, 10);
    expect(shannonEntropy('aabb')).toBeCloseTo(1, 10);
    expect(hasRandomEntropy(fake(ALNUM, 32))).toBe(true);
    expect(hasRandomEntropy('abababababababababababababababab')).toBe(false);
  });

  it('recognises placeholders and references', () => {
    for (const value of [
      'your_api_key_here',
      '<token>',
      `\${API_KEY}`,
      'changeme',
      'xxxxxxxx',
      'EXAMPLEKEY123',
      'dummy',
      'test123',
      'abc123xyz789',
      'process.env.TOKEN',
      '%APPDATA%',
      '****',
    ]) {
      expect(isPlaceholderValue(value), value).toBe(true);
    }
    for (const value of [fake(ALNUM, 24), fake(HEX, 32), 'Tr4vel-Mug-91!']) {
      expect(isPlaceholderValue(value), value).toBe(false);
    }
    expect(ascendingRuns('abcxyz123')).toBe(3);
    expect(dominantCharacterShare('aaab')).toBe(0.75);
  });

  it('tells identifiers from random text', () => {
    expect(looksLikeIdentifier('getAccessTokenFromEnvironment')).toBe(true);
    expect(looksLikeIdentifier('my_secret_name')).toBe(true);
    expect(looksLikeIdentifier('SecretKeyRef')).toBe(true);
    expect(looksLikeIdentifier('yVqXrTmBKslwDxPumSRjWxQgLfeFKqAz')).toBe(false);
    expect(looksLikeIdentifier('a1b2c3d4')).toBe(false);
  });

  it('classifies credential names', () => {
    expect(splitName('sendgridAPITokenValue')).toEqual(['sendgrid', 'api', 'token', 'value']);
    expect(credentialKind('DB_PASSWORD')).toBe('password');
    expect(credentialKind('x-api-key')).toBe('token');
    expect(credentialKind('githubtoken')).toBe('token');
    expect(credentialKind('client_secret')).toBe('token');
    for (const name of [
      'monkey',
      'bypass',
      'max_tokens',
      'public_key',
      'token_url',
      'key_id',
      'tokenizer',
      'author',
    ]) {
      expect(credentialKind(name), name).toBeUndefined();
    }
  });

  it('scores assigned values', () => {
    expect(scoreCredentialValue(fake(ALNUM, 28), 'token')).toBeGreaterThan(0.5);
    expect(scoreCredentialValue('12345678901234', 'token')).toBe(0);
    expect(scoreCredentialValue('/etc/secrets/api', 'token')).toBe(0);
    expect(scoreCredentialValue('true', 'token')).toBe(0);
    expect(scoreCredentialValue('hunter22', 'password')).toBeGreaterThan(0);
    expect(scoreCredentialValue('password', 'password')).toBe(0);
  });

  it('finds assignments in linear time', () => {
    const text = `${'token='.repeat(20_000)}x`;
    const started = performance.now();
    findAssignments(text);
    secretIds(text);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('checks token bodies and passwords', () => {
    expect(isPlausibleTokenBody(fake(ALNUM, 36))).toBe(true);
    expect(isPlausibleTokenBody('x'.repeat(36))).toBe(false);
    expect(isRealPassword('app', 'Vq8rT2mZx')).toBe(true);
    expect(isRealPassword('app', 'app')).toBe(false);
    expect(isRealPassword('admin', 'changeme')).toBe(false);
    expect(decodeBase64(base64Url('{"alg":"none"}'))).toBe('{"alg":"none"}');
    expect(decodeBase64('not base64!')).toBeUndefined();
  });
});
