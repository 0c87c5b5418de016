import type { Severity } from '../types.js';
import type { PatternRule } from './rule.js';
import {
  dominantCharacterShare,
  isPlaceholderValue,
  looksLikeIdentifier,
  shannonEntropy,
} from './secrets-text.js';

/** What a provider token format needs beyond the shared defaults. */
interface TokenFormat {
  id: string;
  rationale: string;
  severity: Severity;
  /** Literal prefixes (lower-cased) that every match contains. */
  keywords: readonly string[];
  pattern: RegExp;
  /** Characters of fixed prefix to skip before judging the random part (default: 0). */
  prefixLength?: number;
  /** The random part, when it is not simply what follows the prefix. */
  body?: (token: string) => string;
  /** Minimum entropy of the random part (default: 2.6 bits per character). */
  minimumEntropy?: number;
  /** Returns a score for a match whose random part already passed the shared checks. */
  score?: (token: string) => number;
  window?: number;
}

/**
 * Rejects placeholders and low-entropy filler in the random part of a token:
 * `ghp_xxxxxxxx…`, `AKIAIOSFODNN7EXAMPLE`, `glc_1111…`. Exported for tests.
 */
export function isPlausibleTokenBody(body: string, minimumEntropy = 2.6): boolean {
  if (body.length === 0) return false;
  if (isPlaceholderValue(body)) return false;
  if (body.length >= 8 && dominantCharacterShare(body) > 0.5) return false;
  const required = body.length >= 16 ? minimumEntropy : Math.min(minimumEntropy, 2.2);
  return shannonEntropy(body) >= required;
}

function tokenRule(format: TokenFormat): PatternRule {
  const prefixLength = format.prefixLength ?? 0;
  const minimumEntropy = format.minimumEntropy ?? 2.6;
  const scoreOf = format.score;
  const rule: PatternRule = {
    id: format.id,
    category: 'secret',
    severity: format.severity,
    rationale: format.rationale,
    target: 'raw',
    type: 'pattern',
    keywords: format.keywords,
    pattern: format.pattern,
    validate: (match) => {
      const token = match[0];
      const body = format.body ? format.body(token) : token.slice(prefixLength);
      if (!isPlausibleTokenBody(body, minimumEntropy)) return false;
      if (!scoreOf) return true;
      const score = scoreOf(token);
      return score > 0 ? score : false;
    },
  };
  if (format.window !== undefined) rule.window = format.window;
  return rule;
}

/** Test-mode keys are real credentials for a sandbox: worth reporting, less urgent. */
const lowerForTestMode = (token: string): number => (/_test_|test-|_TEST/.test(token) ? 0.6 : 0.95);

/** Provider credentials recognisable by a fixed prefix and shape, no surrounding context needed. */
export const providerTokenRules: readonly PatternRule[] = [
  // Cloud providers.
  tokenRule({
    id: 'secret.aws-access-key-id',
    rationale:
      'An AWS access key id; paired with its secret key it grants API access to an AWS account.',
    severity: 'high',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    pattern: /(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/,
    prefixLength: 4,
    minimumEntropy: 2.8,
  }),
  tokenRule({
    id: 'secret.aws-bedrock-api-key',
    rationale:
      'An Amazon Bedrock API key lets its holder invoke paid foundation models on the account.',
    severity: 'critical',
    keywords: ['absk', 'bedrock-api-key-'],
    pattern:
      /(?<![A-Za-z0-9+/])(?:ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{20,400}={0,2}|bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/%=&-]{0,2000})/,
    prefixLength: 16,
    window: 2600,
  }),
  tokenRule({
    id: 'secret.gcp-api-key',
    rationale:
      'A Google Cloud API key; unrestricted keys bill and access Google APIs for the project.',
    severity: 'high',
    keywords: ['aiza'],
    pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/,
    prefixLength: 4,
    minimumEntropy: 3.5,
  }),
  tokenRule({
    id: 'secret.google-oauth-client-secret',
    rationale:
      'A Google OAuth client secret lets an attacker impersonate the application to Google.',
    severity: 'high',
    keywords: ['gocspx-'],
    pattern: /(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/,
    prefixLength: 7,
  }),
  tokenRule({
    id: 'secret.google-oauth-access-token',
    rationale: 'A live Google OAuth access token acts as the signed-in user until it expires.',
    severity: 'high',
    keywords: ['ya29.'],
    pattern: /(?<![A-Za-z0-9_-])ya29\.[A-Za-z0-9_-]{30,2000}/,
    prefixLength: 5,
    minimumEntropy: 3.5,
    window: 2600,
  }),
  tokenRule({
    id: 'secret.azure-storage-key',
    rationale:
      'An Azure storage or service-bus shared key gives full access to the account or namespace.',
    severity: 'critical',
    keywords: ['accountkey=', 'sharedaccesskey='],
    pattern: /(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{40,86}={0,2}/,
    prefixLength: 11,
    minimumEntropy: 3.5,
  }),
  tokenRule({
    id: 'secret.azure-ad-client-secret',
    rationale:
      'An Entra ID (Azure AD) client secret authenticates as the application registration.',
    severity: 'high',
    keywords: ['q~'],
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/,
    minimumEntropy: 3.5,
  }),
  tokenRule({
    id: 'secret.digitalocean-token',
    rationale:
      'A DigitalOcean personal, OAuth or refresh token controls droplets, databases and DNS.',
    severity: 'critical',
    keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    pattern: /(?<![A-Za-z0-9_])do[opr]_v1_[a-f0-9]{64}(?![A-Za-z0-9])/,
    prefixLength: 7,
  }),
  tokenRule({
    id: 'secret.heroku-api-key',
    rationale: 'A Heroku platform API key deploys, reads config vars and scales apps of its owner.',
    severity: 'high',
    keywords: ['hrku-'],
    pattern: /(?<![A-Za-z0-9_-])HRKU-AA[0-9A-Za-z_-]{58}(?![A-Za-z0-9_-])/,
    prefixLength: 7,
  }),
  tokenRule({
    id: 'secret.alibaba-access-key-id',
    rationale: 'An Alibaba Cloud AccessKey id; with its secret it signs API calls for the account.',
    severity: 'high',
    keywords: ['ltai'],
    pattern: /(?<![A-Za-z0-9])LTAI[A-Za-z0-9]{12,20}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.cloudflare-origin-ca-key',
    rationale: 'A Cloudflare Origin CA key issues certificates trusted by Cloudflare for the zone.',
    severity: 'high',
    keywords: ['v1.0-'],
    pattern: /(?<![A-Za-z0-9])v1\.0-[a-f0-9]{24}-[a-f0-9]{146}(?![A-Za-z0-9])/,
    prefixLength: 5,
  }),
  tokenRule({
    id: 'secret.flyio-token',
    rationale:
      'A Fly.io access or macaroon token deploys and inspects the organisation’s machines.',
    severity: 'high',
    keywords: ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'],
    pattern:
      /(?<![A-Za-z0-9_])(?:fo1_[A-Za-z0-9_-]{43}|fm1[ar]_[A-Za-z0-9+/]{100,2000}={0,3}|fm2_[A-Za-z0-9+/]{100,2000}={0,3})/,
    prefixLength: 4,
    window: 2600,
  }),
  tokenRule({
    id: 'secret.yandex-api-key',
    rationale: 'A Yandex Cloud API key authenticates as its service account.',
    severity: 'high',
    keywords: ['aqvn'],
    pattern: /(?<![A-Za-z0-9_-])AQVN[A-Za-z0-9_-]{35,38}(?![A-Za-z0-9_-])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.tailscale-key',
    rationale: 'A Tailscale auth or API key joins devices to, or administers, the tailnet.',
    severity: 'high',
    keywords: ['tskey-'],
    pattern: /tskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{6,24}-[A-Za-z0-9]{20,64}/,
    prefixLength: 10,
  }),
  tokenRule({
    id: 'secret.supabase-token',
    rationale: 'A Supabase personal access token manages every project of the account.',
    severity: 'high',
    keywords: ['sbp_'],
    pattern: /(?<![A-Za-z0-9_])sbp_[a-f0-9]{40}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.netlify-token',
    rationale: 'A Netlify personal access token deploys and configures the user’s sites.',
    severity: 'high',
    keywords: ['nfp_'],
    pattern: /(?<![A-Za-z0-9_])nfp_[A-Za-z0-9]{36}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),

  // Source control and CI.
  tokenRule({
    id: 'secret.github-pat',
    rationale: 'A GitHub personal access token acts as the user on every repository it can reach.',
    severity: 'critical',
    keywords: ['ghp_'],
    pattern: /(?<![A-Za-z0-9_])ghp_[A-Za-z0-9]{36}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.github-fine-grained-pat',
    rationale: 'A GitHub fine-grained token acts as the user on the repositories it was granted.',
    severity: 'critical',
    keywords: ['github_pat_'],
    pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{82}(?![A-Za-z0-9_])/,
    prefixLength: 11,
  }),
  tokenRule({
    id: 'secret.github-oauth-token',
    rationale: 'A GitHub OAuth access token acts as the user for the scopes the app was granted.',
    severity: 'critical',
    keywords: ['gho_'],
    pattern: /(?<![A-Za-z0-9_])gho_[A-Za-z0-9]{36}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.github-app-token',
    rationale:
      'A GitHub App user-to-server or installation token acts on the installation’s repositories.',
    severity: 'critical',
    keywords: ['ghu_', 'ghs_'],
    pattern: /(?<![A-Za-z0-9_])gh[us]_[A-Za-z0-9]{36}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.github-refresh-token',
    rationale: 'A GitHub refresh token mints new user access tokens for the app.',
    severity: 'critical',
    keywords: ['ghr_'],
    pattern: /(?<![A-Za-z0-9_])ghr_[A-Za-z0-9]{36,76}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.gitlab-pat',
    rationale: 'A GitLab personal, project or group access token acts on the API with its scopes.',
    severity: 'critical',
    keywords: ['glpat-'],
    pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,300}(?:\.[a-z0-9]{9})?(?![A-Za-z0-9_-])/,
    prefixLength: 6,
    window: 512,
  }),
  tokenRule({
    id: 'secret.gitlab-runner-token',
    rationale: 'A GitLab runner token registers runners that receive CI jobs and their secrets.',
    severity: 'high',
    keywords: ['glrt-', 'glptt-', 'gr1348941'],
    pattern:
      /(?<![A-Za-z0-9_-])(?:glrt-(?:t\d_)?[A-Za-z0-9_-]{20,300}(?:\.[a-z0-9]{9})?|glptt-[a-f0-9]{40}|GR1348941[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/,
    prefixLength: 5,
    window: 512,
  }),
  tokenRule({
    id: 'secret.gitlab-token',
    rationale:
      'A GitLab deploy, CI job, feed, mail, agent, OAuth or SCIM token grants scoped access.',
    severity: 'high',
    keywords: ['gldt-', 'glcbt-', 'glft-', 'glimt-', 'glagent-', 'gloas-', 'glsoat-', 'glffct-'],
    pattern:
      /(?<![A-Za-z0-9_-])(?:gldt-[A-Za-z0-9_-]{20}|glcbt-[A-Za-z0-9]{1,5}_[A-Za-z0-9_-]{20}|glft-[A-Za-z0-9_-]{20}|glimt-[A-Za-z0-9_-]{25}|glagent-[A-Za-z0-9_-]{50}|gloas-[A-Za-z0-9_-]{64}|glsoat-[A-Za-z0-9_-]{20}|glffct-[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/,
    prefixLength: 5,
  }),
  tokenRule({
    id: 'secret.gitlab-session-cookie',
    rationale: 'A GitLab session cookie is a signed-in browser session of its user.',
    severity: 'high',
    keywords: ['_gitlab_session='],
    pattern: /_gitlab_session=[a-z0-9]{32}(?![A-Za-z0-9])/,
    prefixLength: 16,
  }),
  tokenRule({
    id: 'secret.atlassian-api-token',
    rationale: 'An Atlassian API token acts as its user in Jira, Confluence and Bitbucket.',
    severity: 'high',
    keywords: ['atatt3', 'atbb', 'atctt3'],
    pattern:
      /(?<![A-Za-z0-9_-])(?:ATATT3[A-Za-z0-9_=-]{180,200}|ATCTT3[A-Za-z0-9_=-]{180,200}|ATBB[A-Za-z0-9_=.-]{32})(?![A-Za-z0-9_=-])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.terraform-cloud-token',
    rationale:
      'A Terraform Cloud / HCP Terraform token runs plans and reads state, which holds secrets.',
    severity: 'high',
    keywords: ['.atlasv1.'],
    pattern: /(?<![A-Za-z0-9])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])/,
  }),
  tokenRule({
    id: 'secret.vault-token',
    rationale: 'A HashiCorp Vault service or batch token reads the secrets its policies allow.',
    severity: 'critical',
    keywords: ['hvs.', 'hvb.'],
    pattern:
      /(?<![A-Za-z0-9_])(?:hvs\.[A-Za-z0-9_-]{90,120}|hvb\.[A-Za-z0-9_-]{138,300})(?![A-Za-z0-9_-])/,
    prefixLength: 4,
    window: 512,
  }),
  tokenRule({
    id: 'secret.doppler-token',
    rationale:
      'A Doppler token reads the secrets of the workplace, project or config it is bound to.',
    severity: 'critical',
    keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.', 'dp.scim.', 'dp.audit.'],
    pattern: /(?<![A-Za-z0-9_])dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,44}(?![A-Za-z0-9])/,
    prefixLength: 6,
  }),
  tokenRule({
    id: 'secret.pulumi-token',
    rationale: 'A Pulumi access token reads stack state and runs updates for the organisation.',
    severity: 'high',
    keywords: ['pul-'],
    pattern: /(?<![A-Za-z0-9_-])pul-[a-f0-9]{40}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.databricks-token',
    rationale: 'A Databricks personal access token runs jobs and reads data in the workspace.',
    severity: 'high',
    keywords: ['dapi'],
    pattern: /(?<![A-Za-z0-9])dapi[a-f0-9]{32}(?:-\d)?(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.octopus-deploy-api-key',
    rationale: 'An Octopus Deploy API key triggers deployments and reads project variables.',
    severity: 'high',
    keywords: ['api-'],
    pattern: /(?<![A-Za-z0-9_-])API-[A-Z0-9]{26}(?![A-Za-z0-9_-])/,
    prefixLength: 4,
    score: (token) => (/\d/.test(token.slice(4)) && /[A-Z]/.test(token.slice(4)) ? 0.8 : 0),
  }),
  tokenRule({
    id: 'secret.openshift-token',
    rationale: 'An OpenShift user token authenticates to the cluster API as that user.',
    severity: 'high',
    keywords: ['sha256~'],
    pattern: /(?<![A-Za-z0-9_-])sha256~[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/,
    prefixLength: 7,
  }),
  tokenRule({
    id: 'secret.harness-api-key',
    rationale: 'A Harness personal or service-account token drives pipelines and their secrets.',
    severity: 'high',
    keywords: ['pat.', 'sat.'],
    pattern:
      /(?<![A-Za-z0-9_.-])(?:pat|sat)\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{20}(?![A-Za-z0-9_.-])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.dynatrace-token',
    rationale:
      'A Dynatrace API token reads monitoring data or changes settings of the environment.',
    severity: 'high',
    keywords: ['dt0c01.'],
    pattern: /dt0c01\.[A-Za-z0-9]{24}\.[A-Za-z0-9]{64}(?![A-Za-z0-9])/,
    prefixLength: 7,
  }),
  tokenRule({
    id: 'secret.grafana-token',
    rationale:
      'A Grafana Cloud, service-account or legacy API token reads dashboards and data sources.',
    severity: 'high',
    keywords: ['glc_', 'glsa_', 'eyjrijoi'],
    pattern:
      /(?<![A-Za-z0-9_])(?:glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|eyJrIjoi[A-Za-z0-9]{40,400}={0,2})(?![A-Za-z0-9_])/,
    prefixLength: 4,
    window: 512,
  }),
  tokenRule({
    id: 'secret.new-relic-key',
    rationale: 'A New Relic user, ingest or browser key reads or writes the account’s telemetry.',
    severity: 'high',
    keywords: ['nrak-', 'nrii-', 'nrjs-', 'nraa-'],
    pattern:
      /(?<![A-Za-z0-9])(?:NRAK-[A-Za-z0-9]{27}|NRII-[A-Za-z0-9-]{32}|NRJS-[a-f0-9]{19}|NRAA-[a-f0-9]{27})(?![A-Za-z0-9])/,
    prefixLength: 5,
  }),
  tokenRule({
    id: 'secret.sentry-token',
    rationale: 'A Sentry organisation or user auth token reads events and changes projects.',
    severity: 'high',
    keywords: ['sntrys_', 'sntryu_'],
    pattern:
      /(?<![A-Za-z0-9_])(?:sntrys_eyJ[A-Za-z0-9+/=_-]{60,500}|sntryu_[a-f0-9]{64})(?![A-Za-z0-9])/,
    prefixLength: 7,
    window: 768,
  }),
  tokenRule({
    id: 'secret.sonarqube-token',
    rationale: 'A SonarQube token reads analysed source and changes quality settings.',
    severity: 'medium',
    keywords: ['squ_', 'sqp_', 'sqa_'],
    pattern: /(?<![A-Za-z0-9_])sq[upa]_[a-f0-9]{40}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.sourcegraph-token',
    rationale: 'A Sourcegraph access token searches all code the user can see.',
    severity: 'high',
    keywords: ['sgp_'],
    pattern: /(?<![A-Za-z0-9_])sgp_(?:(?:[a-fA-F0-9]{16}|local)_)?[a-fA-F0-9]{40}(?![A-Za-z0-9_])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.infracost-token',
    rationale: 'An Infracost API key authenticates CI runs against the organisation’s account.',
    severity: 'medium',
    keywords: ['ico-'],
    pattern: /(?<![A-Za-z0-9_-])ico-[A-Za-z0-9]{32}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.prefect-token',
    rationale: 'A Prefect Cloud API key runs flows and reads their results and blocks.',
    severity: 'high',
    keywords: ['pnu_'],
    pattern: /(?<![A-Za-z0-9_])pnu_[A-Za-z0-9]{36}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.scalingo-token',
    rationale: 'A Scalingo API token deploys and configures the owner’s applications.',
    severity: 'high',
    keywords: ['tk-us-'],
    pattern: /(?<![A-Za-z0-9_-])tk-us-[A-Za-z0-9_-]{48}(?![A-Za-z0-9_-])/,
    prefixLength: 6,
  }),
  tokenRule({
    id: 'secret.planetscale-token',
    rationale: 'A PlanetScale service token or password reaches the organisation’s databases.',
    severity: 'critical',
    keywords: ['pscale_tkn_', 'pscale_oauth_', 'pscale_pw_'],
    pattern: /(?<![A-Za-z0-9_])pscale_(?:tkn|oauth|pw)_[A-Za-z0-9_=.-]{32,64}(?![A-Za-z0-9_=.-])/,
    prefixLength: 10,
  }),
  tokenRule({
    id: 'secret.settlemint-token',
    rationale: 'A SettleMint access token operates the blockchain applications it belongs to.',
    severity: 'high',
    keywords: ['sm_pat_', 'sm_aat_', 'sm_sat_'],
    pattern: /(?<![A-Za-z0-9_])sm_(?:pat|aat|sat)_[A-Za-z0-9]{16}(?![A-Za-z0-9])/,
    prefixLength: 7,
  }),
  tokenRule({
    id: 'secret.defined-networking-token',
    rationale: 'A Defined Networking API token manages the Nebula overlay network.',
    severity: 'high',
    keywords: ['dnkey-'],
    pattern: /dnkey-[a-z0-9=_-]{26}-[a-z0-9=_-]{52}(?![a-z0-9=_-])/,
    prefixLength: 6,
  }),
  tokenRule({
    id: 'secret.clickhouse-cloud-key',
    rationale: 'A ClickHouse Cloud API secret manages services and their credentials.',
    severity: 'high',
    keywords: ['4b1d'],
    pattern: /(?<![A-Za-z0-9])4b1d[A-Za-z0-9]{38}(?![A-Za-z0-9])/,
    prefixLength: 4,
    minimumEntropy: 3.5,
  }),

  // Chat and collaboration.
  tokenRule({
    id: 'secret.slack-token',
    rationale: 'A Slack bot, user, app or configuration token reads and posts in the workspace.',
    severity: 'high',
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxo-', 'xoxs-', 'xoxr-', 'xoxe-', 'xapp-'],
    pattern:
      /(?<![A-Za-z0-9_-])(?:xox[abposre]-(?:\d{1,14}-){1,4}[A-Za-z0-9]{8,200}|xapp-\d-[A-Z0-9]{9,12}-\d{10,14}-[a-z0-9]{64})(?![A-Za-z0-9-])/,
    // The numeric parts are workspace and user ids; the secret is the last part.
    body: (token) => token.slice(token.lastIndexOf('-') + 1),
    window: 512,
  }),
  tokenRule({
    id: 'secret.slack-webhook',
    rationale: 'A Slack incoming-webhook URL lets anyone post messages into the channel.',
    severity: 'high',
    keywords: ['hooks.slack.com'],
    pattern:
      /hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{43,120}(?![A-Za-z0-9+/])/,
    prefixLength: 25,
  }),
  tokenRule({
    id: 'secret.discord-webhook',
    rationale: 'A Discord webhook URL lets anyone post into the channel as the webhook.',
    severity: 'high',
    keywords: ['discord.com/api/webhooks/', 'discordapp.com/api/webhooks/'],
    pattern:
      /discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[A-Za-z0-9_-]{60,68}(?![A-Za-z0-9_-])/,
    prefixLength: 25,
  }),
  tokenRule({
    id: 'secret.telegram-bot-token',
    rationale: 'A Telegram bot token controls the bot: reads its chats and sends as it.',
    severity: 'high',
    keywords: [':aa'],
    pattern: /(?<![0-9A-Za-z])[0-9]{8,10}:AA[0-9A-Za-z_-]{33}(?![0-9A-Za-z_-])/,
  }),
  tokenRule({
    id: 'secret.microsoft-teams-webhook',
    rationale: 'A Microsoft Teams incoming-webhook URL lets anyone post into the channel.',
    severity: 'high',
    keywords: ['webhook.office.com'],
    pattern:
      /webhook\.office\.com\/webhookb2\/[a-f0-9-]{36}@[a-f0-9-]{36}\/IncomingWebhook\/[A-Za-z0-9]{32}\/[a-f0-9-]{36}/,
    prefixLength: 30,
  }),

  // Payments and commerce.
  tokenRule({
    id: 'secret.stripe-key',
    rationale: 'A Stripe secret or restricted key moves money and reads customer payment data.',
    severity: 'critical',
    keywords: ['sk_live_', 'sk_test_', 'sk_prod_', 'rk_live_', 'rk_test_', 'rk_prod_'],
    pattern: /(?<![A-Za-z0-9_])[rs]k_(?:live|test|prod)_[A-Za-z0-9]{10,247}(?![A-Za-z0-9])/,
    prefixLength: 8,
    score: lowerForTestMode,
    window: 512,
  }),
  tokenRule({
    id: 'secret.stripe-webhook-secret',
    rationale: 'A Stripe webhook signing secret lets an attacker forge payment events.',
    severity: 'high',
    keywords: ['whsec_'],
    pattern: /(?<![A-Za-z0-9_])whsec_[A-Za-z0-9+/]{32,64}(?![A-Za-z0-9+/])/,
    prefixLength: 6,
  }),
  tokenRule({
    id: 'secret.square-token',
    rationale: 'A Square access token or application secret takes payments for the seller.',
    severity: 'critical',
    keywords: ['eaaa', 'sq0atp-', 'sq0csp-'],
    pattern:
      /(?<![A-Za-z0-9_-])(?:EAAA[A-Za-z0-9_-]{60}|sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{22,43})(?![A-Za-z0-9_-])/,
    prefixLength: 4,
    minimumEntropy: 3.5,
  }),
  tokenRule({
    id: 'secret.braintree-access-token',
    rationale: 'A PayPal Braintree access token charges cards through the merchant account.',
    severity: 'critical',
    keywords: ['access_token$production$', 'access_token$sandbox$'],
    pattern: /access_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}/,
    prefixLength: 24,
    score: (token) => (token.includes('$sandbox$') ? 0.6 : 0.95),
  }),
  tokenRule({
    id: 'secret.shopify-token',
    rationale:
      'A Shopify admin, custom-app or private-app token or shared secret controls the store.',
    severity: 'critical',
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    pattern: /(?<![A-Za-z0-9_])shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}(?![A-Za-z0-9])/,
    prefixLength: 6,
  }),
  tokenRule({
    id: 'secret.flutterwave-secret-key',
    rationale: 'A Flutterwave secret or encryption key initiates charges and transfers.',
    severity: 'critical',
    keywords: ['flwseck'],
    pattern: /(?<![A-Za-z0-9_])FLWSECK(?:_TEST)?-[a-fA-F0-9]{12,32}(?:-X)?(?![A-Za-z0-9_])/,
    prefixLength: 8,
    score: lowerForTestMode,
  }),
  tokenRule({
    id: 'secret.plaid-access-token',
    rationale: 'A Plaid access token reads the linked bank account’s balances and transactions.',
    severity: 'critical',
    keywords: ['access-sandbox-', 'access-development-', 'access-production-'],
    pattern:
      /access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/,
    prefixLength: 15,
    score: (token) => (token.includes('-sandbox-') ? 0.6 : 0.95),
  }),
  tokenRule({
    id: 'secret.shippo-token',
    rationale: 'A Shippo API token buys shipping labels on the account.',
    severity: 'high',
    keywords: ['shippo_live_', 'shippo_test_'],
    pattern: /shippo_(?:live|test)_[a-fA-F0-9]{40}(?![A-Za-z0-9])/,
    prefixLength: 12,
    score: lowerForTestMode,
  }),
  tokenRule({
    id: 'secret.easypost-token',
    rationale: 'An EasyPost API key buys postage and reads shipment addresses.',
    severity: 'high',
    keywords: ['ezak', 'eztk'],
    pattern: /(?<![A-Za-z0-9])EZ[AT]K[A-Za-z0-9]{54}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.duffel-token',
    rationale: 'A Duffel API token books and pays for flights on the account.',
    severity: 'high',
    keywords: ['duffel_test_', 'duffel_live_'],
    pattern: /duffel_(?:test|live)_[A-Za-z0-9_=-]{43}(?![A-Za-z0-9_=-])/,
    prefixLength: 12,
    score: lowerForTestMode,
  }),

  // AI providers.
  tokenRule({
    id: 'secret.openai-api-key',
    rationale:
      'An OpenAI API key spends the organisation’s credit and reads its files and assistants.',
    severity: 'critical',
    keywords: ['sk-'],
    pattern:
      /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])/,
    prefixLength: 3,
    minimumEntropy: 3.5,
  }),
  tokenRule({
    id: 'secret.llm-api-key',
    rationale:
      'An sk- key of an OpenAI-compatible provider (DeepSeek, Moonshot and others) spends its credit.',
    severity: 'high',
    keywords: ['sk-'],
    pattern: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9]{32,64}(?![A-Za-z0-9_-])/,
    prefixLength: 3,
    minimumEntropy: 3.5,
    score: (token) => (/\d/.test(token.slice(3)) && /[a-z]/i.test(token.slice(3)) ? 0.8 : 0),
  }),
  tokenRule({
    id: 'secret.anthropic-api-key',
    rationale:
      'An Anthropic API or admin key spends the organisation’s credit or manages its keys.',
    severity: 'critical',
    keywords: ['sk-ant-'],
    pattern:
      /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|oat|ort|sid)\d{2}-[A-Za-z0-9_-]{80,120}AA(?![A-Za-z0-9_-])/,
    prefixLength: 13,
    minimumEntropy: 3.5,
  }),
  tokenRule({
    id: 'secret.huggingface-token',
    rationale:
      'A Hugging Face user or organisation token reads private models and pushes to repositories.',
    severity: 'high',
    keywords: ['hf_', 'api_org_'],
    pattern: /(?<![A-Za-z0-9_])(?:hf_|api_org_)[A-Za-z0-9]{34}(?![A-Za-z0-9_])/,
    prefixLength: 3,
    minimumEntropy: 3.5,
    score: (token) => (looksLikeIdentifier(token.slice(token.indexOf('_', 3) + 1)) ? 0 : 0.9),
  }),
  tokenRule({
    id: 'secret.groq-api-key',
    rationale: 'A Groq API key spends the account’s inference quota.',
    severity: 'high',
    keywords: ['gsk_'],
    pattern: /(?<![A-Za-z0-9_])gsk_[A-Za-z0-9]{52}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.replicate-api-token',
    rationale: 'A Replicate API token runs paid models and reads predictions of the account.',
    severity: 'high',
    keywords: ['r8_'],
    pattern: /(?<![A-Za-z0-9_])r8_[A-Za-z0-9]{37}(?![A-Za-z0-9])/,
    prefixLength: 3,
  }),
  tokenRule({
    id: 'secret.perplexity-api-key',
    rationale: 'A Perplexity API key spends the account’s credit.',
    severity: 'high',
    keywords: ['pplx-'],
    pattern: /(?<![A-Za-z0-9_-])pplx-[A-Za-z0-9]{48}(?![A-Za-z0-9])/,
    prefixLength: 5,
  }),
  tokenRule({
    id: 'secret.xai-api-key',
    rationale: 'An xAI API key spends the team’s credit.',
    severity: 'high',
    keywords: ['xai-'],
    pattern: /(?<![A-Za-z0-9_-])xai-[A-Za-z0-9]{80}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.langsmith-api-key',
    rationale: 'A LangSmith key reads traces, which hold prompts, outputs and tool data.',
    severity: 'high',
    keywords: ['lsv2_'],
    pattern: /lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}(?![A-Za-z0-9])/,
    prefixLength: 8,
  }),

  // Package registries.
  tokenRule({
    id: 'secret.npm-token',
    rationale: 'An npm access token can publish malicious versions of the owner’s packages.',
    severity: 'critical',
    keywords: ['npm_'],
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.pypi-token',
    rationale: 'A PyPI upload token can publish malicious releases of the owner’s projects.',
    severity: 'critical',
    keywords: ['pypi-ageichlwas5vcmc', 'pypi-agendgvzdc5wexbplm9yzw'],
    pattern: /pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000}/,
    prefixLength: 20,
    window: 1280,
  }),
  tokenRule({
    id: 'secret.rubygems-token',
    rationale: 'A RubyGems API key can push malicious versions of the owner’s gems.',
    severity: 'critical',
    keywords: ['rubygems_'],
    pattern: /rubygems_[a-f0-9]{48}(?![A-Za-z0-9])/,
    prefixLength: 9,
  }),
  tokenRule({
    id: 'secret.clojars-token',
    rationale: 'A Clojars deploy token can publish artefacts under the owner’s groups.',
    severity: 'high',
    keywords: ['clojars_'],
    pattern: /CLOJARS_[a-z0-9]{60}(?![A-Za-z0-9])/i,
    prefixLength: 8,
  }),
  tokenRule({
    id: 'secret.nuget-api-key',
    rationale: 'A NuGet API key can push packages under the owner’s account.',
    severity: 'high',
    keywords: ['oy2'],
    pattern: /(?<![A-Za-z0-9])oy2[a-z0-9]{43}(?![A-Za-z0-9])/,
    prefixLength: 3,
    minimumEntropy: 3.5,
  }),
  tokenRule({
    id: 'secret.docker-hub-token',
    rationale: 'A Docker Hub access token pushes images to the owner’s repositories.',
    severity: 'high',
    keywords: ['dckr_pat_'],
    pattern: /dckr_pat_[A-Za-z0-9_-]{27}(?![A-Za-z0-9_-])/,
    prefixLength: 9,
  }),
  tokenRule({
    id: 'secret.artifactory-token',
    rationale:
      'A JFrog Artifactory API key or reference token reads and writes the artefact store.',
    severity: 'high',
    keywords: ['akcp', 'cmvmd'],
    pattern: /(?<![A-Za-z0-9])(?:AKCp[A-Za-z0-9]{69}|cmVmd[A-Za-z0-9]{59})(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),

  // Messaging, e-mail and SaaS APIs.
  tokenRule({
    id: 'secret.twilio-api-key',
    rationale:
      'A Twilio API key sid, with its secret, sends messages and calls billed to the account.',
    severity: 'high',
    keywords: ['sk'],
    pattern: /(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])/,
    prefixLength: 2,
  }),
  tokenRule({
    id: 'secret.sendgrid-api-key',
    rationale: 'A SendGrid API key sends e-mail as the organisation, a phishing gift.',
    severity: 'high',
    keywords: ['sg.'],
    pattern: /(?<![A-Za-z0-9_])SG\.[A-Za-z0-9=_.-]{66}(?![A-Za-z0-9=_.-])/,
    prefixLength: 3,
  }),
  tokenRule({
    id: 'secret.mailgun-api-key',
    rationale: 'A Mailgun private API key sends e-mail and reads logs of the domain.',
    severity: 'high',
    keywords: ['key-'],
    pattern: /(?<![A-Za-z0-9_-])key-[a-f0-9]{32}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.mailchimp-api-key',
    rationale: 'A Mailchimp API key reads audiences (e-mail lists) and sends campaigns.',
    severity: 'high',
    keywords: ['-us'],
    pattern: /(?<![A-Za-z0-9])[a-f0-9]{32}-us\d{1,2}(?![A-Za-z0-9])/,
  }),
  tokenRule({
    id: 'secret.brevo-api-key',
    rationale: 'A Brevo (Sendinblue) API or SMTP key sends e-mail and reads contact lists.',
    severity: 'high',
    keywords: ['xkeysib-', 'xsmtpsib-'],
    pattern: /x(?:keysib|smtpsib)-[a-f0-9]{64}-[A-Za-z0-9]{16}(?![A-Za-z0-9])/,
    prefixLength: 8,
  }),
  tokenRule({
    id: 'secret.postman-api-key',
    rationale:
      'A Postman API key reads collections and environments, which often hold more secrets.',
    severity: 'high',
    keywords: ['pmak-'],
    pattern: /PMAK-[a-f0-9]{24}-[a-f0-9]{34}(?![A-Za-z0-9])/,
    prefixLength: 5,
  }),
  tokenRule({
    id: 'secret.linear-api-key',
    rationale: 'A Linear API key reads and edits the workspace’s issues.',
    severity: 'high',
    keywords: ['lin_api_', 'lin_oauth_'],
    pattern: /(?<![A-Za-z0-9_])lin_(?:api|oauth)_[A-Za-z0-9]{40,64}(?![A-Za-z0-9])/,
    prefixLength: 8,
  }),
  tokenRule({
    id: 'secret.notion-token',
    rationale: 'A Notion integration token reads and edits the pages shared with the integration.',
    severity: 'high',
    keywords: ['secret_', 'ntn_'],
    pattern:
      /(?<![A-Za-z0-9_])(?:secret_[A-Za-z0-9]{43}|ntn_[0-9]{11}[A-Za-z0-9]{35})(?![A-Za-z0-9])/,
    prefixLength: 4,
    minimumEntropy: 3.5,
  }),
  tokenRule({
    id: 'secret.onepassword-service-account-token',
    rationale: 'A 1Password service-account token reads every vault the account was granted.',
    severity: 'critical',
    keywords: ['ops_eyj'],
    pattern: /(?<![A-Za-z0-9_])ops_eyJ[A-Za-z0-9+/]{250,5000}={0,3}/,
    prefixLength: 7,
    window: 5400,
  }),
  tokenRule({
    id: 'secret.onepassword-secret-key',
    rationale: 'A 1Password account secret key is one of the two factors that unlock the vaults.',
    severity: 'critical',
    keywords: ['a3-'],
    pattern:
      /(?<![A-Za-z0-9-])A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}(?![A-Za-z0-9-])/,
    prefixLength: 3,
  }),
  tokenRule({
    id: 'secret.age-secret-key',
    rationale: 'An age secret key decrypts every file encrypted to its recipient.',
    severity: 'critical',
    keywords: ['age-secret-key-1'],
    pattern: /AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])/,
    prefixLength: 16,
  }),
  tokenRule({
    id: 'secret.twitter-bearer-token',
    rationale: 'An X (Twitter) app bearer token reads the API with the app’s quota and access.',
    severity: 'high',
    keywords: ['aaaaaaaaaaaaaaaaaaaaaa'],
    pattern: /(?<![A-Za-z0-9%])A{22}[A-Za-z0-9%]{80,120}(?![A-Za-z0-9%])/,
    prefixLength: 22,
    minimumEntropy: 3.5,
  }),
  tokenRule({
    id: 'secret.facebook-access-token',
    rationale: 'A Facebook / Meta access token acts as the user or page on the Graph API.',
    severity: 'high',
    keywords: ['eaa'],
    pattern: /(?<![A-Za-z0-9+/])EAA[A-Z][A-Za-z0-9]{90,400}(?![A-Za-z0-9+/=])/,
    prefixLength: 4,
    minimumEntropy: 3.5,
    window: 512,
  }),
  tokenRule({
    id: 'secret.mapbox-token',
    rationale:
      'A Mapbox access token bills map loads to the account; secret (sk.) tokens change styles and data.',
    severity: 'medium',
    keywords: ['pk.', 'sk.'],
    pattern: /(?<![A-Za-z0-9_.])[ps]k\.[A-Za-z0-9_-]{60,300}\.[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])/,
    prefixLength: 3,
    score: (token) => (token.startsWith('sk.') ? 0.9 : 0.6),
    window: 512,
  }),
  tokenRule({
    id: 'secret.typeform-token',
    rationale: 'A Typeform personal token reads form responses, which often hold personal data.',
    severity: 'high',
    keywords: ['tfp_'],
    pattern: /(?<![A-Za-z0-9_])tfp_[A-Za-z0-9_.=-]{59}(?![A-Za-z0-9_.=-])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.readme-token',
    rationale: 'A ReadMe API key edits the project’s documentation and reads its API logs.',
    severity: 'medium',
    keywords: ['rdme_'],
    pattern: /rdme_[a-z0-9]{70}(?![A-Za-z0-9])/,
    prefixLength: 5,
  }),
  tokenRule({
    id: 'secret.frameio-token',
    rationale: 'A Frame.io developer token reads and edits the account’s media projects.',
    severity: 'medium',
    keywords: ['fio-u-'],
    pattern: /(?<![A-Za-z0-9_=-])fio-u-[A-Za-z0-9_=-]{64}(?![A-Za-z0-9_=-])/,
    prefixLength: 6,
  }),
  tokenRule({
    id: 'secret.adobe-client-secret',
    rationale: 'An Adobe developer client secret authenticates as the integration.',
    severity: 'high',
    keywords: ['p8e-'],
    pattern: /(?<![A-Za-z0-9_-])p8e-[A-Za-z0-9]{32}(?![A-Za-z0-9])/,
    prefixLength: 4,
  }),
  tokenRule({
    id: 'secret.airtable-token',
    rationale: 'An Airtable personal access token reads and writes the bases it was granted.',
    severity: 'high',
    keywords: ['pat'],
    pattern: /(?<![A-Za-z0-9_])pat[A-Za-z0-9]{14}\.[a-f0-9]{64}(?![A-Za-z0-9])/,
    prefixLength: 3,
  }),
  tokenRule({
    id: 'secret.intra42-client-secret',
    rationale: 'A 42 intranet client secret authenticates as the application.',
    severity: 'medium',
    keywords: ['s-s4t2'],
    pattern: /s-s4t2(?:ud|af)-[a-f0-9]{64}(?![A-Za-z0-9])/,
    prefixLength: 9,
  }),
];
