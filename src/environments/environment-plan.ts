import { PlannedRuleset } from './ruleset-plan';
import { Environment, TrustedPublisher } from '../workflow/environment';

/**
 * Builds the content of `.github/environments/environments.json`: every environment of a project
 * merged by name, as data only (names, patterns, settings). The apply script builds every request
 * from these names itself, after checking each of them, and refuses anything else in the file.
 */

/** The file format's version; the apply script refuses any other. */
export const FORMAT_VERSION = 2;

/** Placeholders for the repository in texts made before it is known. */
export const OWNER = '{owner}';
export const REPO = '{repo}';

/** A trusted publisher of an environment, as in the file. */
export interface PlannedPublisher {
  readonly index: string;
  readonly projectName: string;
  readonly workflowFile: string;
  /** The environment's own name (what to enter as "Environment name" on PyPI). */
  readonly environment: string;
}

/** One environment in the file. */
export interface PlannedEnvironment {
  readonly name: string;
  readonly url?: string;
  /** Logins and `org/team-slug` teams; the apply script looks their ids up. */
  readonly reviewers: string[];
  readonly preventSelfReview: boolean;
  readonly waitTimerMinutes: number;
  readonly deploymentPolicy: { kind: string; rules: Array<{ name: string; type: string }> };
  readonly secrets: string[];
  readonly variables: string[];
  readonly trustedPublishers: PlannedPublisher[];
}

/** The whole file (without projen's marker). */
export interface EnvironmentsFileContent {
  readonly $comment: string;
  readonly version: number;
  readonly environments: PlannedEnvironment[];
  readonly rulesets: PlannedRuleset[];
}

/** Where a trusted publisher is registered. */
export const SITES: Record<string, { name: string; host: string }> = {
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

function sameRulesOrThrow(first: Environment, other: Environment): void {
  if (other.environmentName !== first.environmentName) {
    throw new Error(`Environments "${first.environmentName}" (${first.node.path}) and "${other.environmentName}" (${other.node.path}) differ only in case; GitHub treats them as one environment. Use one spelling.`);
  }
  const rules = rulesOf(first);
  const theirs = rulesOf(other);
  const differ = Object.keys(rules).filter((k) => rules[k] !== theirs[k]);
  if (differ.length) {
    const what = differ.map((k) => `${k} is ${rules[k]} at ${first.node.path} but ${theirs[k]} at ${other.node.path}`).join('; ');
    throw new Error(`Environment "${first.environmentName}" is defined twice with different protection rules: ${what}. Give both the same rules (or share one Environment), or give one of them another name.`);
  }
}

/**
 * Groups environments by name (GitHub's names are not case-sensitive). Environments of one name
 * must have the same protection rules; their secrets, variables and trusted publishers add up.
 */
function planGroup(group: Environment[]): PlannedEnvironment {
  const [first, ...others] = group;
  for (const other of others) sameRulesOrThrow(first, other);
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
  const policy = first.deploymentPolicy;
  return {
    name: first.environmentName,
    url: group.map((e) => e.url).find((u) => u !== undefined),
    reviewers: first.reviewers,
    preventSelfReview: first.preventSelfReview,
    waitTimerMinutes: first.waitTimerMinutes,
    deploymentPolicy: { kind: policy.kind, rules: policy.rules.map((r) => ({ name: r.name, type: r.type })) },
    secrets,
    variables,
    trustedPublishers: publishers.map((p) => ({
      index: p.index,
      projectName: p.projectName,
      workflowFile: p.workflowFile,
      environment: first.environmentName,
    })),
  };
}

/** Every environment given, merged by name and sorted. */
export function planEnvironments(envs: Environment[]): PlannedEnvironment[] {
  const groups = new Map<string, Environment[]>();
  for (const env of envs) {
    const key = env.environmentName.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), env]);
  }
  return [...groups.values()].map(planGroup).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * What to register on PyPI and TestPyPI, one block per trusted publisher, as lines. The apply
 * script prints the same text (built there from the same data), with the real repository.
 */
export function trustedPublisherLines(envs: PlannedEnvironment[], owner: string, repo: string): string[] {
  const publishers = envs.flatMap((e) => e.trustedPublishers);
  if (publishers.length === 0) return [];
  const lines = [
    'Trusted publishers to register (PyPI and TestPyPI are separate sites with separate accounts;',
    'each checks the owner, repository, workflow file and environment of the publishing run):',
  ];
  for (const p of publishers) {
    const site = SITES[p.index];
    lines.push(
      '',
      `${site.name}, project "${p.projectName}":`,
      `  project exists already: ${site.host}/manage/project/${p.projectName}/settings/publishing/`,
      `  project not created yet ("pending publisher"): ${site.host}/manage/account/publishing/`,
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

/** The file's content. */
export function environmentsFileContent(
  envs: PlannedEnvironment[],
  rulesets: PlannedRuleset[],
  applyTask: string,
  planTask: string,
): EnvironmentsFileContent {
  return {
    $comment: [
      'The GitHub deployment environments and repository rulesets of this repository: protection rules,',
      'and the names (never the values) of the secrets and variables the environments expect. Data only:',
      'the apply script builds every REST request from these names after checking them, and refuses',
      `anything else. Apply with "npx projen ${applyTask}" (needs the GitHub CLI, gh, logged in as a`,
      `repository admin); preview with "npx projen ${planTask}". The url of an environment is shown on`,
      'deployments and set by the workflow; GitHub stores no url on the environment itself.',
    ].join(' '),
    version: FORMAT_VERSION,
    environments: envs,
    rulesets,
  };
}
