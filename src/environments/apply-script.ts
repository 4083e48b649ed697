import { CONFIG_JS } from './apply-script-config';
import { ENDPOINTS_JS } from './apply-script-endpoints';
import { ENVIRONMENTS_JS } from './apply-script-environments';
import { GH_JS } from './apply-script-gh';
import { RULESETS_JS } from './apply-script-rulesets';
import { FORMAT_VERSION } from './environment-plan';

/**
 * The apply script, written to `.github/environments/apply.cjs`. It must run in any user's
 * project, including one driven by `.projenrc.py` that has no node_modules: plain CommonJS, node's
 * standard library only, `gh` started with argument arrays (never through a shell).
 *
 * It reads `environments.json` next to it and checks every field (apply-script-config.ts): the
 * file holds names, patterns and settings only, and anything else stops the script before a
 * request is sent. It finds the repository (`--repo` or `gh repo view`), looks up the ids of the
 * reviewers and bypass actors, then for each environment: PUT it, add the missing deployment
 * tag/branch policies, delete those no longer configured, report missing secrets and variables;
 * for each ruleset: create it, or update the repository's ruleset of that name; finally it prints
 * what to register as trusted publisher on PyPI and TestPyPI. Each request is built from a fixed
 * list of endpoints (apply-script-endpoints.ts). `--dry-run` prints the requests that would change
 * something instead of sending them; the read-only look-ups are still made, so the plan is exact.
 *
 * Required as a module (by tests), it runs nothing and exports its checks and request builders.
 */
const HEAD = String.raw`'use strict';
// Applies the GitHub deployment environments and repository rulesets in environments.json (next
// to this file) to the repository with the GitHub CLI. Needs node and gh (https://cli.github.com),
// logged in as an admin of the repository. Run it with "npx projen github:environments".
// It builds every request itself from a fixed list of endpoints and the names in the file, which
// it checks first; it refuses a file with anything else in it.

const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');

const CONFIG_FILE = path.join(__dirname, 'environments.json');
const FORMAT_VERSION = ${FORMAT_VERSION};
const USAGE = [
  'Usage: node ' + path.relative(process.cwd(), __filename) + ' [--dry-run] [--repo OWNER/REPO]',
  '',
  'Creates or updates the deployment environments and rulesets of environments.json in the GitHub repository.',
  '  --dry-run, -n       print the requests that would change something instead of sending them',
  '                      (read-only look-ups such as reviewer ids and existing secrets are still made)',
  '  --repo, -R O/R      the repository (default: gh repo view of the current directory)',
  '  --help, -h          this text',
].join('\n');
const REPOSITORY = /^([A-Za-z0-9][A-Za-z0-9-]{0,38})\/((?!\.+$)[A-Za-z0-9._-]{1,100})$/;
`;

const MAIN = String.raw`
function parseArgs(argv) {
  const options = { dryRun: false, repo: undefined, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    if (arg === '--dry-run' || arg === '-n') options.dryRun = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--repo' || arg === '-R') {
      if (i + 1 >= argv.length) throw new Failure('--repo needs a value: --repo OWNER/REPO.');
      options.repo = argv[++i];
    } else if (arg.startsWith('--repo=')) options.repo = arg.slice('--repo='.length);
    else throw new Failure('unknown argument ' + show(arg) + '.\n\n' + USAGE);
  }
  if (options.repo !== undefined && !REPOSITORY.test(options.repo)) {
    throw new Failure('--repo must be OWNER/REPO (e.g. octo-org/my-package), got ' + show(options.repo) + '.');
  }
  return options;
}

function currentRepository() {
  const result = runGh(['repo', 'view', '--json', 'nameWithOwner', '--jq', '.nameWithOwner']);
  const name = (result.stdout || '').trim();
  if (result.status !== 0 || !REPOSITORY.test(name)) {
    throw new Failure('could not tell which GitHub repository to configure (gh repo view: ' + (esc((result.stderr || '').trim()) || show(name)) + ').\n  Run this in a clone whose remote is on GitHub, or pass --repo OWNER/REPO.');
  }
  return name;
}

const SITES = { pypi: ['PyPI', 'https://pypi.org'], testpypi: ['TestPyPI', 'https://test.pypi.org'] };

/** What to register on PyPI and TestPyPI (the same text as EnvironmentsConfig.trustedPublisherInstructions). */
function trustedPublisherLines(environments, owner, repo) {
  const publishers = [];
  for (const e of environments) publishers.push(...e.trustedPublishers);
  if (!publishers.length) return [];
  const lines = [
    'Trusted publishers to register (PyPI and TestPyPI are separate sites with separate accounts;',
    'each checks the owner, repository, workflow file and environment of the publishing run):',
  ];
  for (const p of publishers) {
    const [site, host] = SITES[p.index];
    lines.push(
      '',
      site + ', project "' + p.projectName + '":',
      '  project exists already: ' + host + '/manage/project/' + p.projectName + '/settings/publishing/',
      '  project not created yet ("pending publisher"): ' + host + '/manage/account/publishing/',
      '  choose "GitHub" and enter:',
      '    PyPI Project Name: ' + p.projectName + '   (pending publisher only)',
      '    Owner:             ' + owner,
      '    Repository name:   ' + repo,
      '    Workflow name:     ' + p.workflowFile,
      '    Environment name:  ' + p.environment,
    );
  }
  return lines;
}

function printReport(ctx, reports, rulesetReports) {
  out('');
  out(ctx.dryRun ? 'Dry run: nothing was changed in ' + ctx.repository + '.' : 'Applied to ' + ctx.repository + '.');
  for (const r of reports) {
    out('  environment "' + r.name + '"' + (r.policies.length ? ': ' + r.policies.join(', ') : ''));
    for (const note of r.unknown) out('    note: ' + note);
    for (const n of r.missingSecrets) {
      out('    MISSING secret ' + n + ': set it with  gh secret set ' + n + ' --env ' + quote(r.name) + ' --repo ' + ctx.repository);
    }
    for (const n of r.missingVariables) {
      out('    MISSING variable ' + n + ': set it with  gh variable set ' + n + ' --env ' + quote(r.name) + ' --repo ' + ctx.repository + ' --body VALUE');
    }
  }
  for (const line of rulesetReports) out('  ' + line);
}

function main(argv) {
  const options = parseArgs(argv);
  if (options.help) {
    out(USAGE);
    return 0;
  }
  const config = readConfig();
  const repository = options.repo || currentRepository();
  const [, owner, repo] = REPOSITORY.exec(repository);
  const ctx = { dryRun: options.dryRun, repository: repository, owner: owner, repo: repo };
  const rulesets = config.rulesets.length ? ' and ' + config.rulesets.length + ' ruleset(s)' : '';
  out((options.dryRun ? 'Dry run for ' : 'Applying ') + config.environments.length + ' environment(s)' + rulesets + ' to ' + repository + ' with gh.');
  const ids = resolveIds(ctx, config);
  const reports = config.environments.map((env) => applyEnvironment(ctx, env, ids));
  const rulesetReports = applyRulesets(ctx, config.rulesets, ids);
  printReport(ctx, reports, rulesetReports);
  const lines = trustedPublisherLines(config.environments, owner, repo);
  if (lines.length) {
    out('');
    for (const line of lines) out(line);
  }
  return 0;
}

/**
 * Every request this script can send for a configuration, without sending any (for tests, which
 * check them against GitHub's OpenAPI description): ids maps look-up keys ("user octocat",
 * "team org/slug", "app slug") to ids; existing policies and rulesets get id 1.
 */
function everyRequest(config, owner, repo, ids) {
  const all = [];
  const add = (request, body, query) => all.push({ method: request.method, path: request.path + (query || ''), body: body });
  const page = (request) => add(request, undefined, '?per_page=' + request.perPage + '&page=1' + request.query);
  const actors = [];
  for (const e of config.environments) actors.push(...e.reviewers);
  for (const r of config.rulesets) actors.push(...r.bypass);
  for (const a of actors) if (lookupOf(a)) add(lookupOf(a).request);
  for (const env of config.environments) {
    const at = { owner: owner, repo: repo, environment: env.name };
    add(endpoint('putEnvironment', at), environmentBody(env, ids));
    if (env.deploymentPolicy.kind === 'custom') {
      page(endpoint('listPolicies', at));
      for (const rule of env.deploymentPolicy.rules) add(endpoint('createPolicy', at), { name: rule.name, type: rule.type });
      add(endpoint('deletePolicy', Object.assign({ policy_id: 1 }, at)));
    }
    if (env.secrets.length) page(endpoint('listSecrets', at));
    if (env.variables.length) page(endpoint('listVariables', at));
  }
  if (config.rulesets.length) page(endpoint('listRulesets', { owner: owner, repo: repo }));
  for (const r of config.rulesets) {
    add(endpoint('createRuleset', { owner: owner, repo: repo }), rulesetBody(r, ids));
    add(endpoint('updateRuleset', { owner: owner, repo: repo, ruleset_id: 1 }), rulesetBody(r, ids));
  }
  return all;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof Failure) write(process.stderr, 'error: ' + e.message);
    else if (e instanceof ApiError) write(process.stderr, 'error: ' + describe(e));
    else write(process.stderr, 'error: ' + (e && e.stack ? e.stack : String(e)));
    process.exitCode = 1;
  }
} else {
  module.exports = { readConfig: readConfig, everyRequest: everyRequest, trustedPublisherLines: trustedPublisherLines, esc: esc, ENDPOINTS: ENDPOINTS };
}
`;

/** The script's text, with projen's marker on its first line. */
export function applyScript(marker: string | undefined): string {
  return (marker ? `// ${marker}\n` : '') + [HEAD, GH_JS, CONFIG_JS, ENDPOINTS_JS, ENVIRONMENTS_JS, RULESETS_JS, MAIN].map((part) => part.trim()).join('\n\n') + '\n';
}
