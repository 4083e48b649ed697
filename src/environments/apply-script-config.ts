/**
 * Part of the apply script (see apply-script.ts): reads environments.json and checks every field
 * of it. It returns a fresh copy made of checked values only, so nothing else in the file can
 * reach a request; an unknown field, a malformed name or a wrong type stops the script before
 * anything is sent.
 */
export const CONFIG_JS = String.raw`
const NAMES = {
  environment: /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,254}$/,
  login: /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/,
  teamSlug: /^[a-z0-9][a-z0-9_-]{0,254}$/,
  appSlug: /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,99}$/,
  variable: /^(?![Gg][Ii][Tt][Hh][Uu][Bb]_)[A-Za-z_][A-Za-z0-9_]{0,254}$/,
  distribution: /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]{0,253}[A-Za-z0-9])$/,
  workflowFile: /^[A-Za-z0-9][A-Za-z0-9._-]{0,250}\.ya?ml$/,
  url: /^https:\/\/[\x21-\x7e]{1,2000}$/,
  policyPattern: /^(?!refs\/)[\x21-\x7e]{1,255}$/,
  ruleset: /^[A-Za-z0-9][A-Za-z0-9 ._*\/()-]{0,99}$/,
  tagRef: /^refs\/tags\/[A-Za-z0-9._\/*-]{1,200}$/,
  branchRef: /^refs\/heads\/[A-Za-z0-9._\/*-]{1,200}$/,
};
const RULES = {
  tag: ['creation', 'update', 'deletion', 'non_fast_forward'],
  branch: ['creation', 'update', 'deletion', 'non_fast_forward', 'pull_request'],
};
const ROLES = ['admin', 'maintain', 'write'];
const TAMPERED = 'This script builds every request itself from the names and settings in environments.json and refuses anything else.'
  + '\n  If you did not edit the file by hand, someone else did: regenerate it with "npx projen", review its diff, and run this again.'
  + '\n  Nothing was sent.';

function refuse(at, problem) {
  throw new Failure(path.basename(CONFIG_FILE) + ': ' + at + ' ' + problem + '.\n  ' + TAMPERED);
}

function kindOf(v) {
  return Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v;
}

/** An object with exactly these fields (the optional ones may be missing). */
function fields(v, at, required, optional) {
  if (!v || typeof v !== 'object' || Array.isArray(v)) refuse(at, 'must be an object, not ' + kindOf(v));
  for (const key of Object.keys(v)) {
    if (!required.includes(key) && !optional.includes(key)) refuse(at, 'has an unknown field ' + show(key));
  }
  for (const key of required) if (!(key in v)) refuse(at, 'lacks the field "' + key + '"');
  return v;
}

function list(v, at, min, max) {
  if (!Array.isArray(v)) refuse(at, 'must be a list, not ' + kindOf(v));
  if (v.length < min || v.length > max) refuse(at, 'must have ' + min + ' to ' + max + ' entries, not ' + v.length);
  return v;
}

function text(v, at, pattern, what) {
  if (typeof v !== 'string' || !pattern.test(v)) refuse(at, show(v) + ' is not ' + what);
  return v;
}

function oneOf(v, at, allowed) {
  if (!allowed.includes(v)) refuse(at, show(v) + ' is not one of ' + allowed.join(', '));
  return v;
}

function bool(v, at) {
  if (typeof v !== 'boolean') refuse(at, show(v) + ' is not true or false');
  return v;
}

function whole(v, at, min, max) {
  if (!Number.isInteger(v) || v < min || v > max) refuse(at, show(v) + ' is not a whole number from ' + min + ' to ' + max);
  return v;
}

function unique(values, at, what) {
  const seen = new Set();
  for (const v of values) {
    const key = String(v).toLowerCase();
    if (seen.has(key)) refuse(at, 'lists ' + what + ' ' + show(v) + ' twice');
    seen.add(key);
  }
  return values;
}

/** A login, or a team "org/slug". */
function reviewerOf(v, at) {
  if (typeof v === 'string' && v.includes('/')) {
    const [org, slug, ...rest] = v.split('/');
    if (rest.length || !NAMES.login.test(org) || !NAMES.teamSlug.test(slug)) refuse(at, show(v) + ' is not a team "org/team-slug"');
    return { type: 'Team', key: v, org: org, slug: slug };
  }
  return { type: 'User', key: text(v, at, NAMES.login, 'a GitHub login'), login: v };
}

function environmentOf(e, at) {
  fields(e, at, ['name', 'reviewers', 'preventSelfReview', 'waitTimerMinutes', 'deploymentPolicy', 'secrets', 'variables', 'trustedPublishers'], ['url']);
  const env = {
    name: text(e.name, at + '.name', NAMES.environment, 'an environment name (letters, digits, spaces, ".", "-", "_")'),
    url: e.url === undefined ? undefined : text(e.url, at + '.url', NAMES.url, 'an https:// URL'),
    reviewers: list(e.reviewers, at + '.reviewers', 0, 6).map((r, i) => reviewerOf(r, at + '.reviewers[' + i + ']')),
    preventSelfReview: bool(e.preventSelfReview, at + '.preventSelfReview'),
    waitTimerMinutes: whole(e.waitTimerMinutes, at + '.waitTimerMinutes', 0, 43200),
  };
  unique(env.reviewers.map((r) => r.key), at + '.reviewers', 'reviewer');
  const policy = fields(e.deploymentPolicy, at + '.deploymentPolicy', ['kind', 'rules'], []);
  const kind = oneOf(policy.kind, at + '.deploymentPolicy.kind', ['any', 'protected', 'custom']);
  const rules = list(policy.rules, at + '.deploymentPolicy.rules', kind === 'custom' ? 1 : 0, kind === 'custom' ? 50 : 0).map((r, i) => {
    const where = at + '.deploymentPolicy.rules[' + i + ']';
    fields(r, where, ['name', 'type'], []);
    return { name: text(r.name, where + '.name', NAMES.policyPattern, 'a tag or branch pattern (printable ASCII without spaces, not starting with refs/)'), type: oneOf(r.type, where + '.type', ['tag', 'branch']) };
  });
  unique(rules.map((r) => r.type + ' ' + r.name), at + '.deploymentPolicy.rules', 'pattern');
  env.deploymentPolicy = { kind: kind, rules: rules };
  env.secrets = unique(list(e.secrets, at + '.secrets', 0, 100).map((n, i) => text(n, at + '.secrets[' + i + ']', NAMES.variable, 'a secret name')), at + '.secrets', 'secret');
  env.variables = unique(list(e.variables, at + '.variables', 0, 100).map((n, i) => text(n, at + '.variables[' + i + ']', NAMES.variable, 'a variable name')), at + '.variables', 'variable');
  env.trustedPublishers = list(e.trustedPublishers, at + '.trustedPublishers', 0, 20).map((p, i) => {
    const where = at + '.trustedPublishers[' + i + ']';
    fields(p, where, ['index', 'projectName', 'workflowFile', 'environment'], []);
    if (p.environment !== env.name) refuse(where + '.environment', show(p.environment) + ' is not the name of its environment, "' + env.name + '"');
    return {
      index: oneOf(p.index, where + '.index', ['pypi', 'testpypi']),
      projectName: text(p.projectName, where + '.projectName', NAMES.distribution, 'a Python distribution name'),
      workflowFile: text(p.workflowFile, where + '.workflowFile', NAMES.workflowFile, 'a workflow file name such as publish.yml'),
      environment: env.name,
    };
  });
  return env;
}

function bypassOf(b, at) {
  const type = b && typeof b === 'object' ? b.type : undefined;
  oneOf(type, at + '.type', ['User', 'Integration', 'Team', 'RepositoryRole', 'OrganizationAdmin']);
  if (type === 'User') return { type: type, login: text(fields(b, at, ['type', 'login'], []).login, at + '.login', NAMES.login, 'a GitHub login') };
  if (type === 'Integration') return { type: type, app: text(fields(b, at, ['type', 'app'], []).app, at + '.app', NAMES.appSlug, 'a GitHub App slug') };
  if (type === 'RepositoryRole') return { type: type, role: oneOf(fields(b, at, ['type', 'role'], []).role, at + '.role', ROLES) };
  if (type === 'Team') {
    const team = reviewerOf(fields(b, at, ['type', 'team'], []).team, at + '.team');
    if (team.type !== 'Team') refuse(at + '.team', show(b.team) + ' is not a team "org/team-slug"');
    return { type: type, team: team.key, key: team.key, org: team.org, slug: team.slug };
  }
  fields(b, at, ['type'], []);
  return { type: type };
}

function rulesetOf(r, at) {
  fields(r, at, ['name', 'target', 'include', 'rules', 'bypass'], ['requiredApprovals']);
  const target = oneOf(r.target, at + '.target', ['tag', 'branch']);
  const ref = target === 'tag' ? NAMES.tagRef : NAMES.branchRef;
  const rules = unique(list(r.rules, at + '.rules', 1, RULES[target].length).map((x, i) => oneOf(x, at + '.rules[' + i + ']', RULES[target])), at + '.rules', 'rule');
  const pullRequest = rules.includes('pull_request');
  if (pullRequest !== (r.requiredApprovals !== undefined)) refuse(at, 'has requiredApprovals ' + (pullRequest ? 'missing (it has a pull_request rule)' : 'without a pull_request rule'));
  const bypass = list(r.bypass, at + '.bypass', 1, 10).map((b, i) => bypassOf(b, at + '.bypass[' + i + ']'));
  unique(bypass.map((b) => b.type + ' ' + (b.login || b.app || b.team || b.role || '')), at + '.bypass', 'bypass actor');
  return {
    name: text(r.name, at + '.name', NAMES.ruleset, 'a ruleset name (letters, digits, spaces, ". _ * / ( ) -")'),
    target: target,
    include: unique(list(r.include, at + '.include', 1, 20).map((x, i) => text(x, at + '.include[' + i + ']', ref, (target === 'tag' ? 'refs/tags/' : 'refs/heads/') + '<pattern>')), at + '.include', 'ref'),
    rules: rules,
    requiredApprovals: pullRequest ? whole(r.requiredApprovals, at + '.requiredApprovals', 0, 10) : undefined,
    bypass: bypass,
  };
}

/** The checked content of environments.json. */
function readConfig() {
  let raw;
  try {
    raw = JSON.parse(fs.readFileSync(CONFIG_FILE, 'utf8'));
  } catch (e) {
    throw new Failure('cannot read ' + esc(CONFIG_FILE) + ': ' + esc(e.message) + '. Regenerate it with "npx projen".');
  }
  if (!raw || typeof raw !== 'object' || raw.version !== FORMAT_VERSION) {
    throw new Failure(esc(CONFIG_FILE) + ' has format version ' + show(raw && raw.version) + ', this script reads version ' + FORMAT_VERSION + '. Regenerate both with "npx projen".');
  }
  fields(raw, 'the file', ['version', 'environments', 'rulesets'], ['//', '$comment']);
  for (const key of ['//', '$comment']) if (key in raw && typeof raw[key] !== 'string') refuse('"' + key + '"', 'must be a string');
  const environments = list(raw.environments, 'environments', 0, 100).map((e, i) => environmentOf(e, 'environments[' + i + ']'));
  unique(environments.map((e) => e.name), 'environments', 'environment');
  const rulesets = list(raw.rulesets, 'rulesets', 0, 50).map((r, i) => rulesetOf(r, 'rulesets[' + i + ']'));
  unique(rulesets.map((r) => r.name), 'rulesets', 'ruleset');
  return { environments: environments, rulesets: rulesets };
}
`;
