/**
 * The apply script, written to `.github/environments/apply.cjs`. It must run in any user's
 * project, including one driven by `.projenrc.py` that has no node_modules: plain CommonJS, node's
 * standard library only, `gh` started with argument arrays (never through a shell).
 *
 * It reads `environments.json` next to it, finds the repository (`--repo` or `gh repo view`),
 * looks the reviewers' ids up, then for each environment: PUT the environment, add the missing
 * deployment tag/branch policies and delete those no longer configured, list the secrets and
 * variables and report the missing ones, and finally prints what to register as trusted publisher
 * on PyPI and TestPyPI. `--dry-run` prints the requests that would change something instead of
 * sending them; the read-only look-ups are still made, so the printed plan is exact.
 */
const SCRIPT = String.raw`'use strict';
// Applies the GitHub deployment environments in environments.json (next to this file) to the
// repository with the GitHub CLI. Needs node and gh (https://cli.github.com), logged in as an
// admin of the repository. Run it with "npx projen github:environments".

const childProcess = require('child_process');
const fs = require('fs');
const path = require('path');

const CONFIG_FILE = path.join(__dirname, 'environments.json');
const FORMAT_VERSION = 1;
const USAGE = [
  'Usage: node ' + path.relative(process.cwd(), __filename) + ' [--dry-run] [--repo OWNER/REPO]',
  '',
  'Creates or updates the deployment environments of environments.json in the GitHub repository.',
  '  --dry-run, -n       print the requests that would change something instead of sending them',
  '                      (read-only look-ups such as reviewer ids and existing secrets are still made)',
  '  --repo, -R O/R      the repository (default: gh repo view of the current directory)',
  '  --help, -h          this text',
].join('\n');

class Failure extends Error {}

class ApiError extends Error {
  constructor(status, message, details) {
    super(message);
    this.status = status;
    this.details = details;
  }
}

function out(line) {
  process.stdout.write(line + '\n');
}

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
    else throw new Failure('unknown argument "' + arg + '".\n\n' + USAGE);
  }
  if (options.repo !== undefined && !/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/.test(options.repo)) {
    throw new Failure('--repo must be OWNER/REPO (e.g. octo-org/my-package), got "' + options.repo + '".');
  }
  return options;
}

function readConfig() {
  let config;
  try {
    config = JSON.parse(fs.readFileSync(CONFIG_FILE, 'utf8'));
  } catch (e) {
    throw new Failure('cannot read ' + CONFIG_FILE + ': ' + e.message + '. Regenerate it with "npx projen".');
  }
  if (config.version !== FORMAT_VERSION || !Array.isArray(config.environments)) {
    throw new Failure(CONFIG_FILE + ' has format version ' + config.version + ', this script reads version ' + FORMAT_VERSION + '. Regenerate both with "npx projen".');
  }
  return config;
}

function runGh(args, input) {
  const result = childProcess.spawnSync('gh', args, {
    input: input === undefined ? '' : input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) {
    if (result.error.code === 'ENOENT') {
      throw new Failure('the GitHub CLI "gh" is not installed or not on PATH. Install it (https://cli.github.com), run "gh auth login", and try again.');
    }
    throw new Failure('could not run gh: ' + result.error.message);
  }
  return result;
}

function apiErrorOf(result) {
  const stderr = (result.stderr || '').trim();
  const match = /\(HTTP (\d{3})\)|HTTP (\d{3})/.exec(stderr);
  const status = match ? Number(match[1] || match[2]) : undefined;
  let message = '';
  let details = [];
  try {
    const body = JSON.parse(result.stdout);
    message = body.message || '';
    details = (body.errors || []).map((e) => (typeof e === 'string' ? e : e.message || e.code || JSON.stringify(e)));
  } catch (e) {
    // not JSON: gh's own message on stderr says what happened
  }
  if (!message) message = stderr.replace(/^gh: /, '') || 'gh exited with code ' + result.status;
  return new ApiError(status, message, details);
}

function api(method, apiPath, body) {
  const args = ['api', '--method', method, '-H', 'Accept: application/vnd.github+json', '-H', 'X-GitHub-Api-Version: 2022-11-28', apiPath];
  if (body !== undefined) args.push('--input', '-');
  const result = runGh(args, body === undefined ? undefined : JSON.stringify(body));
  if (result.status !== 0) throw apiErrorOf(result);
  const text = (result.stdout || '').trim();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Failure(method + ' ' + apiPath + ': gh printed something that is not JSON: ' + text.slice(0, 200));
  }
}

function describe(error) {
  const status = error.status ? 'HTTP ' + error.status + ' ' : '';
  const details = error.details && error.details.length ? ': ' + error.details.join('; ') : '';
  return status + error.message + details;
}

/** Turns an API error into a message that says what to do. */
function explain(error, what, hints, ctx) {
  if (!(error instanceof ApiError)) return error;
  let hint = hints[error.status];
  if (!hint && error.status === 401) hint = 'gh is not logged in, or its token expired: run "gh auth login".';
  if (!hint && error.status === 403) hint = 'your gh login may not administer ' + ctx.repository + ' (environments need admin rights), or its token lacks the "repo" scope: check "gh auth status", or ask an admin to run this.';
  if (!hint && error.status === 404) hint = 'check that ' + ctx.repository + ' exists and that your gh login ("gh auth status") is an admin of it.';
  return new Failure(what + ' failed (' + describe(error) + ').' + (hint ? '\n  ' + hint : ''));
}

function currentRepository() {
  const result = runGh(['repo', 'view', '--json', 'nameWithOwner', '--jq', '.nameWithOwner']);
  const name = (result.stdout || '').trim();
  if (result.status !== 0 || !/^[^/\s]+\/[^/\s]+$/.test(name)) {
    throw new Failure('could not tell which GitHub repository to configure (gh repo view: ' + ((result.stderr || '').trim() || 'no answer') + ').\n  Run this in a clone whose remote is on GitHub, or pass --repo OWNER/REPO.');
  }
  return name;
}

function fill(template, ctx, extra) {
  let s = template.split('{owner}').join(encodeURIComponent(ctx.owner)).split('{repo}').join(encodeURIComponent(ctx.repo));
  for (const key of Object.keys(extra || {})) s = s.split('{' + key + '}').join(encodeURIComponent(String(extra[key])));
  return s;
}

function withReviewerIds(value, ids) {
  if (Array.isArray(value)) return value.map((v) => withReviewerIds(v, ids));
  if (value && typeof value === 'object') {
    if (Object.keys(value).length === 1 && typeof value.$reviewer === 'string') {
      if (!(value.$reviewer in ids)) throw new Failure('internal: no id for reviewer "' + value.$reviewer + '".');
      return ids[value.$reviewer];
    }
    const copy = {};
    for (const key of Object.keys(value)) copy[key] = withReviewerIds(value[key], ids);
    return copy;
  }
  return value;
}

/** Sends a request, or in a dry run prints a request that would change something. */
function send(ctx, request, apiPath, body) {
  if (ctx.dryRun && request.method !== 'GET') {
    out('  [dry-run] ' + request.method + ' ' + apiPath);
    if (body !== undefined) out(JSON.stringify(body, null, 2).replace(/^/gm, '      '));
    return null;
  }
  out('  ' + request.method + ' ' + apiPath);
  return api(request.method, apiPath, body);
}

/** Every item of a paged listing; a missing environment in a dry run counts as empty. */
function listAll(ctx, request, missingOk) {
  const items = [];
  for (let page = 1; page <= 100; page++) {
    const apiPath = fill(request.path, ctx) + '?per_page=' + request.perPage + '&page=' + page;
    let response;
    try {
      response = send(ctx, request, apiPath);
    } catch (e) {
      if (missingOk && e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
    const batch = (response && response[request.list]) || [];
    items.push(...batch);
    if (batch.length < request.perPage || items.length >= (response.total_count || 0)) break;
  }
  return items;
}

function resolveReviewers(ctx, config) {
  const ids = {};
  for (const env of config.environments) {
    for (const r of env.reviewers) {
      if (r.reviewer in ids) continue;
      let found;
      try {
        found = send(ctx, { method: 'GET' }, r.lookup);
      } catch (e) {
        const hints = r.type === 'User'
          ? { 404: 'there is no GitHub user "' + r.reviewer + '". Fix the reviewers of environment "' + env.name + '" in your projen configuration and run "npx projen".' }
          : { 404: 'there is no team "' + r.reviewer + '", or gh cannot see it. Check the organization and the slug (the team\'s name in its URL), and that gh may read the organization\'s teams: "gh auth refresh -s read:org".' };
        throw explain(e, 'looking up reviewer "' + r.reviewer + '" of environment "' + env.name + '"', hints, ctx);
      }
      if (!found || typeof found.id !== 'number') throw new Failure('looking up reviewer "' + r.reviewer + '": GitHub returned no numeric id.');
      ids[r.reviewer] = found.id;
      out('    ' + r.type.toLowerCase() + ' ' + r.reviewer + ' has id ' + found.id);
    }
  }
  return ids;
}

function quote(s) {
  return /^[A-Za-z0-9._\/:=-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
}

function applyEnvironment(ctx, env, ids) {
  const name = env.name;
  const where = 'environment "' + name + '" of ' + ctx.repository;
  out('');
  out('Environment "' + name + '":');
  const upsert = env.requests.upsertEnvironment;
  try {
    send(ctx, upsert, fill(upsert.path, ctx), withReviewerIds(upsert.body, ids));
  } catch (e) {
    throw explain(e, 'creating or updating ' + where, {
      404: 'either ' + ctx.repository + ' does not exist or your gh login is not an admin of it ("gh auth status"),'
        + '\n  or the repository is private on GitHub Free, where deployment environments are not available:'
        + '\n  make the repository public, or move it to GitHub Pro, Team or Enterprise.',
      422: 'GitHub refused these settings. Check that every reviewer exists and has at least read access to ' + ctx.repository + ';'
        + '\n  in a private repository, required reviewers and wait timers need GitHub Enterprise (or make the repository public).'
        + '\n  Fix the environment in your projen configuration, run "npx projen", and apply again.',
    }, ctx);
  }

  const report = { name: name, policies: [], missingSecrets: [], missingVariables: [], unknown: [] };
  if (env.requests.listPolicies) {
    let existing;
    try {
      existing = listAll(ctx, env.requests.listPolicies, ctx.dryRun);
    } catch (e) {
      throw explain(e, 'listing the deployment policies of ' + where, {}, ctx);
    }
    if (existing === null) {
      existing = [];
      report.unknown.push('the environment does not exist yet, so it has no policies, secrets or variables');
    }
    const key = (p) => (p.type || 'branch') + ' ' + p.name;
    const wanted = env.requests.createPolicies.map((r) => key(r.body));
    for (const create of env.requests.createPolicies) {
      if (existing.some((p) => key(p) === key(create.body))) {
        report.policies.push(key(create.body) + ' (kept)');
        continue;
      }
      try {
        send(ctx, create, fill(create.path, ctx), create.body);
      } catch (e) {
        throw explain(e, 'adding the ' + create.body.type + ' policy "' + create.body.name + '" to ' + where, {
          404: 'GitHub says the environment does not use custom deployment policies; apply again, and if it persists check the environment in the repository settings.',
          422: 'GitHub refused the pattern "' + create.body.name + '". Fix deploymentPolicy in your projen configuration.',
        }, ctx);
      }
      report.policies.push(key(create.body) + (ctx.dryRun ? ' (would be added)' : ' (added)'));
    }
    for (const stale of existing.filter((p) => !wanted.includes(key(p)))) {
      const del = env.requests.deletePolicy;
      try {
        send(ctx, del, fill(del.path, ctx, { policy_id: stale.id }));
      } catch (e) {
        throw explain(e, 'removing the stale ' + key(stale) + ' policy from ' + where, {}, ctx);
      }
      report.policies.push(key(stale) + (ctx.dryRun ? ' (would be removed: no longer configured)' : ' (removed: no longer configured)'));
    }
  }

  for (const [kind, request, names, missing] of [
    ['secret', env.requests.listSecrets, env.secrets, report.missingSecrets],
    ['variable', env.requests.listVariables, env.variables, report.missingVariables],
  ]) {
    if (!request) continue;
    let existing;
    try {
      existing = listAll(ctx, request, ctx.dryRun);
    } catch (e) {
      throw explain(e, 'listing the ' + kind + 's of ' + where, {
        403: 'listing environment ' + kind + 's needs admin rights on ' + ctx.repository + ' ("gh auth status").',
      }, ctx);
    }
    const have = (existing || []).map((s) => String(s.name).toUpperCase());
    for (const n of names) if (!have.includes(n.toUpperCase())) missing.push(n);
  }
  return report;
}

function printReport(ctx, reports) {
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
}

function main(argv) {
  const options = parseArgs(argv);
  if (options.help) {
    out(USAGE);
    return 0;
  }
  const config = readConfig();
  const repository = options.repo || currentRepository();
  const [owner, repo] = repository.split('/');
  const ctx = { dryRun: options.dryRun, repository: repository, owner: owner, repo: repo };
  out((options.dryRun ? 'Dry run for ' : 'Applying ') + config.environments.length + ' environment(s) to ' + repository + ' with gh.');
  const reviewers = config.environments.some((e) => e.reviewers.length);
  if (reviewers) out('Reviewers:');
  const ids = resolveReviewers(ctx, config);
  const reports = config.environments.map((env) => applyEnvironment(ctx, env, ids));
  printReport(ctx, reports);
  const lines = config.trustedPublisherInstructions || [];
  if (lines.length) {
    out('');
    for (const line of lines) out(line.split('{owner}').join(owner).split('{repo}').join(repo));
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof Failure) {
    process.stderr.write('error: ' + e.message + '\n');
  } else if (e instanceof ApiError) {
    process.stderr.write('error: ' + describe(e) + '\n');
  } else {
    process.stderr.write('error: ' + (e && e.stack ? e.stack : String(e)) + '\n');
  }
  process.exitCode = 1;
}
`;

/** The script's text, with projen's marker on its first line. */
export function applyScript(marker: string | undefined): string {
  return (marker ? `// ${marker}\n` : '') + SCRIPT;
}
