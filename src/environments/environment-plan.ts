import { Environment, TrustedPublisher } from '../workflow/environment';

/**
 * Builds the content of `.github/environments/environments.json`: every environment of a project
 * merged by name, with the REST requests that apply it computed here (at synth time) so that the
 * apply script only fills in the repository and the reviewers' ids, and tests can check the
 * requests against GitHub's OpenAPI description.
 */

/** The file format's version; the apply script refuses any other. */
export const FORMAT_VERSION = 1;

/** Placeholders the apply script fills in. */
export const OWNER = '{owner}';
export const REPO = '{repo}';

/** A request the apply script sends with `gh api`. */
export interface PlannedRequest {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Relative to the API root, with `{owner}`, `{repo}` (and for deletes `{policy_id}`) to fill in. */
  readonly path: string;
  /** The JSON body; a reviewer's id is `{"$reviewer": "login or org/slug"}` until resolved. */
  readonly body?: Record<string, unknown>;
  /** For listings: the page size (the script pages through `total_count`). */
  readonly perPage?: number;
  /** For listings: the response's array property. */
  readonly list?: string;
}

/** A reviewer and where the apply script looks up its id. */
export interface PlannedReviewer {
  readonly type: 'User' | 'Team';
  /** The login or `org/slug`, as configured. */
  readonly reviewer: string;
  /** `users/LOGIN` or `orgs/ORG/teams/SLUG`. */
  readonly lookup: string;
}

/** A trusted publisher as the user registers it on PyPI or TestPyPI. */
export interface PlannedPublisher {
  readonly index: string;
  readonly site: string;
  readonly projectName: string;
  readonly workflowFile: string;
  readonly environment: string;
  readonly publishingUrl: string;
  readonly pendingPublisherUrl: string;
}

/** One environment in the file. */
export interface PlannedEnvironment {
  readonly name: string;
  readonly url?: string;
  readonly reviewers: PlannedReviewer[];
  readonly preventSelfReview: boolean;
  readonly waitTimerMinutes: number;
  readonly deploymentPolicy: { kind: string; rules: Array<{ name: string; type: string }> };
  readonly secrets: string[];
  readonly variables: string[];
  readonly trustedPublishers: PlannedPublisher[];
  readonly requests: {
    readonly upsertEnvironment: PlannedRequest;
    readonly listPolicies?: PlannedRequest;
    readonly createPolicies: PlannedRequest[];
    readonly deletePolicy?: PlannedRequest;
    readonly listSecrets?: PlannedRequest;
    readonly listVariables?: PlannedRequest;
  };
}

/** The whole file (without projen's marker). */
export interface EnvironmentsFileContent {
  readonly $comment: string;
  readonly version: number;
  readonly environments: PlannedEnvironment[];
  /** Lines telling what to register on PyPI and TestPyPI, with `{owner}` and `{repo}`. */
  readonly trustedPublisherInstructions: string[];
}

/** Environments of the same name, merged. */
interface MergedEnvironment {
  readonly first: Environment;
  readonly paths: string[];
  readonly url?: string;
  readonly secrets: string[];
  readonly variables: string[];
  readonly publishers: TrustedPublisher[];
}

const SITES: Record<string, { name: string; host: string }> = {
  pypi: { name: 'PyPI', host: 'https://pypi.org' },
  testpypi: { name: 'TestPyPI', host: 'https://test.pypi.org' },
};

/** The protection rules of an environment, as comparable text per option. */
function rulesOf(env: Environment): Record<string, string> {
  const policy = env.deploymentPolicy;
  return {
    reviewers: env.reviewers.map((r) => r.toLowerCase()).sort().join(', ') || '(none)',
    preventSelfReview: String(env.preventSelfReview),
    waitTimerMinutes: String(env.waitTimerMinutes),
    deploymentPolicy: policy.kind === 'custom'
      ? policy.rules.map((r) => `${r.type} ${r.name}`).sort().join(', ')
      : policy.kind,
  };
}

function addUnique(list: string[], names: string[]): void {
  for (const n of names) {
    if (!list.some((m) => m.toUpperCase() === n.toUpperCase())) list.push(n);
  }
}

/**
 * Groups environments by name (GitHub's names are not case-sensitive). Environments of one name
 * must have the same protection rules; their secrets, variables and trusted publishers add up.
 */
function mergeEnvironments(envs: Environment[]): MergedEnvironment[] {
  const groups = new Map<string, Environment[]>();
  for (const env of envs) {
    const key = env.environmentName.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), env]);
  }
  const merged: MergedEnvironment[] = [];
  for (const group of groups.values()) {
    const [first, ...others] = group;
    const rules = rulesOf(first);
    for (const other of others) {
      if (other.environmentName !== first.environmentName) {
        throw new Error(`Environments "${first.environmentName}" (${first.node.path}) and "${other.environmentName}" (${other.node.path}) differ only in case; GitHub treats them as one environment. Use one spelling.`);
      }
      const theirs = rulesOf(other);
      const differ = Object.keys(rules).filter((k) => rules[k] !== theirs[k]);
      if (differ.length) {
        const what = differ.map((k) => `${k} is ${rules[k]} at ${first.node.path} but ${theirs[k]} at ${other.node.path}`).join('; ');
        throw new Error(`Environment "${first.environmentName}" is defined twice with different protection rules: ${what}. Give both the same rules (or share one Environment), or give one of them another name.`);
      }
    }
    const secrets: string[] = [];
    const variables: string[] = [];
    const publishers: TrustedPublisher[] = [];
    for (const env of group) {
      addUnique(secrets, env.secrets);
      addUnique(variables, env.variables);
      for (const p of env.trustedPublishers) {
        if (!publishers.some((q) => q.index === p.index && q.projectName === p.projectName && q.workflowFile === p.workflowFile)) publishers.push(p);
      }
    }
    merged.push({
      first,
      paths: group.map((e) => e.node.path),
      url: group.map((e) => e.url).find((u) => u !== undefined),
      secrets,
      variables,
      publishers,
    });
  }
  return merged.sort((a, b) => (a.first.environmentName < b.first.environmentName ? -1 : 1));
}

function reviewerOf(r: string): PlannedReviewer {
  if (r.includes('/')) {
    const [org, slug] = r.split('/');
    return { type: 'Team', reviewer: r, lookup: `orgs/${org}/teams/${slug}` };
  }
  return { type: 'User', reviewer: r, lookup: `users/${r}` };
}

function publisherOf(p: TrustedPublisher, environment: string): PlannedPublisher {
  const site = SITES[p.index];
  return {
    index: p.index,
    site: site.name,
    projectName: p.projectName,
    workflowFile: p.workflowFile,
    environment,
    publishingUrl: `${site.host}/manage/project/${p.projectName}/settings/publishing/`,
    pendingPublisherUrl: `${site.host}/manage/account/publishing/`,
  };
}

/** The body of `PUT /repos/{owner}/{repo}/environments/{name}`: every rule, so re-applying converges. */
function environmentBody(env: Environment, reviewers: PlannedReviewer[]): Record<string, unknown> {
  const kind = env.deploymentPolicy.kind;
  return {
    wait_timer: env.waitTimerMinutes,
    prevent_self_review: env.preventSelfReview,
    reviewers: reviewers.map((r) => ({ type: r.type, id: { $reviewer: r.reviewer } })),
    deployment_branch_policy: kind === 'any'
      ? null
      : { protected_branches: kind === 'protected', custom_branch_policies: kind === 'custom' },
  };
}

function planEnvironment(m: MergedEnvironment): PlannedEnvironment {
  const env = m.first;
  const name = env.environmentName;
  const base = `repos/${OWNER}/${REPO}/environments/${encodeURIComponent(name)}`;
  const reviewers = env.reviewers.map(reviewerOf);
  const custom = env.deploymentPolicy.kind === 'custom';
  const rules = env.deploymentPolicy.rules.map((r) => ({ name: r.name, type: r.type }));
  return {
    name,
    url: m.url,
    reviewers,
    preventSelfReview: env.preventSelfReview,
    waitTimerMinutes: env.waitTimerMinutes,
    deploymentPolicy: { kind: env.deploymentPolicy.kind, rules },
    secrets: m.secrets,
    variables: m.variables,
    trustedPublishers: m.publishers.map((p) => publisherOf(p, name)),
    requests: {
      upsertEnvironment: { method: 'PUT', path: base, body: environmentBody(env, reviewers) },
      listPolicies: custom
        ? { method: 'GET', path: `${base}/deployment-branch-policies`, perPage: 100, list: 'branch_policies' }
        : undefined,
      createPolicies: rules.map((rule) => ({ method: 'POST' as const, path: `${base}/deployment-branch-policies`, body: rule })),
      deletePolicy: custom ? { method: 'DELETE', path: `${base}/deployment-branch-policies/{policy_id}` } : undefined,
      listSecrets: m.secrets.length ? { method: 'GET', path: `${base}/secrets`, perPage: 100, list: 'secrets' } : undefined,
      listVariables: m.variables.length ? { method: 'GET', path: `${base}/variables`, perPage: 30, list: 'variables' } : undefined,
    },
  };
}

/**
 * What to register on PyPI and TestPyPI, one block per trusted publisher, as lines. `owner` and
 * `repo` fill the repository in (the apply script passes the real ones).
 */
export function trustedPublisherLines(envs: PlannedEnvironment[], owner: string, repo: string): string[] {
  const publishers = envs.flatMap((e) => e.trustedPublishers);
  if (publishers.length === 0) return [];
  const lines = [
    'Trusted publishers to register (PyPI and TestPyPI are separate sites with separate accounts;',
    'each checks the owner, repository, workflow file and environment of the publishing run):',
  ];
  for (const p of publishers) {
    lines.push(
      '',
      `${p.site}, project "${p.projectName}":`,
      `  project exists already: ${p.publishingUrl}`,
      `  project not created yet ("pending publisher"): ${p.pendingPublisherUrl}`,
      '  choose "GitHub" and enter:',
      `    PyPI Project Name: ${p.projectName}   (pending publisher only)`,
      `    Owner:             ${owner}`,
      `    Repository name:   ${repo}`,
      `    Workflow name:     ${p.workflowFile}`,
      `    Environment name:  ${p.environment}`,
    );
  }
  return lines;
}

/** Every environment below `root` (projects included), merged and planned. */
export function planEnvironments(envs: Environment[]): PlannedEnvironment[] {
  return mergeEnvironments(envs).map(planEnvironment);
}

/** The file's content. */
export function environmentsFileContent(envs: PlannedEnvironment[], applyTask: string, planTask: string): EnvironmentsFileContent {
  return {
    $comment: [
      'The GitHub deployment environments of this repository: protection rules and the names (never',
      'the values) of the secrets and variables they expect, with the REST API requests that apply them.',
      `Apply with "npx projen ${applyTask}" (needs the GitHub CLI, gh, logged in as a repository admin);`,
      `preview with "npx projen ${planTask}". The url of an environment is shown on deployments and set by`,
      'the workflow; GitHub stores no url on the environment itself.',
    ].join(' '),
    version: FORMAT_VERSION,
    environments: envs,
    trustedPublisherInstructions: trustedPublisherLines(envs, OWNER, REPO),
  };
}
