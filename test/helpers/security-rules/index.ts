import { parseDocument } from 'yaml';
import { ACTIONS_CHECKS } from './actions';
import { Check, Context, RuleFinding } from './context';
import { PERMISSIONS_CHECKS } from './permissions';
import { SECRETS_CHECKS } from './secrets';
import { WORKFLOW_CHECKS } from './workflow';
import { ActionPins } from '../../../src';

/**
 * The "Secure by default" rules as a reusable checker: `checkWorkflow(text)` reads a workflow's
 * YAML text (for the comments) and its parsed document, and returns one `RuleFinding` per
 * violation, each naming its rule, where it is and why it matters. An empty list means the
 * workflow follows every rule.
 *
 * The rules are the project's own plus the zizmor audits our output could trigger (their zizmor
 * names are given with each rule).
 */

export type { RuleFinding } from './context';

/** One rule: its id (used in findings), what it demands, and the zizmor audit it mirrors. */
export interface SecurityRule {
  /** Short kebab-case id, e.g. `top-level-permissions`. */
  readonly id: string;
  /** What a workflow must do, one line (for the README). */
  readonly summary: string;
  /** The zizmor audit this mirrors, if any. */
  readonly zizmor?: string;
}

/** Options of `checkWorkflow`. */
export interface CheckOptions {
  /**
   * Known pins, `owner/repo@sha` -> `vX.Y.Z`, whose version comment must match.
   * @default - our catalog, `ActionPins.all()`
   */
  readonly pinVersions?: Record<string, string>;
}

/** Every rule the checker applies, in the order findings are reported. */
export const SECURITY_RULES: readonly SecurityRule[] = [
  { id: 'top-level-permissions', summary: 'The workflow starts from `permissions: {}`: no job inherits the default GITHUB_TOKEN scopes.', zizmor: 'excessive-permissions' },
  { id: 'job-permissions', summary: 'Every job declares its own `permissions:` map (never `read-all`/`write-all`).', zizmor: 'excessive-permissions' },
  { id: 'least-privilege', summary: 'A job is granted only the scopes its steps use: `contents` only with a checkout or a step given the GITHUB_TOKEN, write scopes only where a step writes with it.', zizmor: 'excessive-permissions' },
  { id: 'id-token-only-for-publishing', summary: '`id-token: write` only on jobs that call `pypa/gh-action-pypi-publish` or sign with `actions/attest`.', zizmor: 'excessive-permissions' },
  { id: 'write-permission-reason', summary: 'Every write permission carries a comment saying why.', zizmor: 'undocumented-permissions' },
  { id: 'no-expressions-in-run', summary: 'No `${{ }}` inside `run:` (or a `github-script` script): values reach scripts through `env:`.', zizmor: 'template-injection' },
  { id: 'pinned-uses', summary: 'Every `uses:` is pinned to a full 40-hex commit SHA with a `# vX.Y.Z` comment (Docker images by digest).', zizmor: 'unpinned-uses' },
  { id: 'pin-version-matches', summary: "A catalog SHA's version comment is the catalog's version for that SHA.", zizmor: 'ref-version-mismatch' },
  { id: 'known-vulnerable-actions', summary: 'No action version with a known advisory (pypa/gh-action-pypi-publish < v1.13.0, GHSA-vxmw-7h4f-hqxh).', zizmor: 'known-vulnerable-actions' },
  { id: 'persist-credentials', summary: 'Every `actions/checkout` sets `persist-credentials: false`, except in a job that runs `git push`.', zizmor: 'artipacked' },
  { id: 'artifact-scope', summary: 'No artifact upload of the whole workspace or of `.git`.', zizmor: 'artipacked' },
  { id: 'no-cache-in-release-jobs', summary: 'No cache (actions/cache, `cache:`/`enable-cache:` on setup actions, or a setup action whose cache is on by default) in jobs that release or publish, in jobs that build an artifact a releasing job downloads, nor in any job of a release-triggered workflow.', zizmor: 'cache-poisoning' },
  { id: 'named', summary: 'The workflow and every job have a `name:`.', zizmor: 'anonymous-definition' },
  { id: 'concurrency', summary: 'The workflow (and any job-level group) sets `concurrency` with an explicit `cancel-in-progress`.', zizmor: 'concurrency-limits' },
  { id: 'dangerous-triggers', summary: 'No `pull_request_target` or `workflow_run` trigger.', zizmor: 'dangerous-triggers' },
  { id: 'secrets-inherit', summary: 'No `secrets: inherit` on reusable-workflow calls.', zizmor: 'secrets-inherit' },
  { id: 'overprovisioned-secrets', summary: 'No `toJSON(secrets)` or `secrets[...]`: secrets are named one by one.', zizmor: 'overprovisioned-secrets' },
  { id: 'unredacted-secrets', summary: 'No `fromJSON(secrets.X)`: parts of a secret are not masked in logs.', zizmor: 'unredacted-secrets' },
  { id: 'secrets-in-step-scope', summary: 'Secrets are passed to the step that needs them, never in workflow- or job-level `env:`.', zizmor: 'overprovisioned-secrets' },
  { id: 'no-project-code-with-secrets', summary: 'A job that reads a secret (other than GITHUB_TOKEN) sets up no toolchain and runs no build, test, package-manager or project command: project code could read the secret.' },
  { id: 'secrets-outside-env', summary: 'A job that reads a secret (other than GITHUB_TOKEN) runs in a deployment `environment:`, whose protection rules guard it.', zizmor: 'secrets-outside-env' },
  { id: 'insecure-commands', summary: 'No `ACTIONS_ALLOW_UNSECURE_COMMANDS`, no `::set-env`/`::add-path`.', zizmor: 'insecure-commands' },
  { id: 'github-env', summary: 'No script that writes to `$GITHUB_ENV`/`$GITHUB_PATH` uses a variable taken from an expression others can influence.', zizmor: 'github-env' },
  { id: 'use-trusted-publishing', summary: 'No `password:` on the PyPI publish action in a job that has `id-token: write` (the token would silently win over trusted publishing).', zizmor: 'use-trusted-publishing' },
  { id: 'isolated-publish-job', summary: 'A job that calls `pypa/gh-action-pypi-publish` calls it once and otherwise only downloads artifacts.' },
  { id: 'unsound-condition', summary: 'An `if:` with `${{ }}` is exactly one expression, with nothing outside the braces (else it is always true).', zizmor: 'unsound-condition' },
];

const CHECKS: Check[] = [...PERMISSIONS_CHECKS, ...ACTIONS_CHECKS, ...SECRETS_CHECKS, ...WORKFLOW_CHECKS];

/** Checks one workflow's YAML text against every rule. */
export function checkWorkflow(text: string, options: CheckOptions = {}): RuleFinding[] {
  const doc = parseDocument(text);
  if (doc.errors.length) {
    return [{ rule: 'yaml', where: 'workflow', message: `the workflow is not valid YAML: ${doc.errors[0].message}` }];
  }
  const ctx = new Context(doc, options.pinVersions ?? Object.fromEntries(ActionPins.all().map((p) => [p.ref, p.version])));
  for (const check of CHECKS) check(ctx);
  const order = SECURITY_RULES.map((r) => r.id);
  return ctx.findings.sort((a, b) => order.indexOf(a.rule) - order.indexOf(b.rule));
}

/** Checks several workflows (`file name` -> text); each finding's `where` starts with the file. */
export function checkWorkflows(files: Record<string, string>, options: CheckOptions = {}): RuleFinding[] {
  return Object.entries(files).flatMap(([name, text]) =>
    checkWorkflow(text, options).map((f) => ({ ...f, where: `${name}: ${f.where}` })));
}

/** Findings as text, one a line: `[rule] where: message`. */
export function formatRuleFindings(findings: RuleFinding[]): string {
  return findings.map((f) => `[${f.rule}] ${f.where}: ${f.message}`).join('\n');
}
