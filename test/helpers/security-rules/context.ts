import { Document, isScalar } from 'yaml';

/**
 * What the checks read (a workflow's parsed document, with views of its jobs and steps), what they
 * report, and what they know of actions and commands.
 */

/** A violation of a rule. */
export interface RuleFinding {
  /** The rule's id. */
  readonly rule: string;
  /** Where: `workflow`, `job "x"`, `job "x" step "y"`. */
  readonly where: string;
  /** What is wrong, why it matters and how to fix it. */
  readonly message: string;
}

export const PUBLISHING_ACTIONS = ['pypa/gh-action-pypi-publish'];
/** Actions known to need no GITHUB_TOKEN scope at all (they only reach public APIs, if any). */
export const TOKENLESS_ACTIONS = [
  'actions/upload-artifact',
  'actions/download-artifact',
  'actions/setup-python',
  'actions/create-github-app-token',
  'prefix-dev/setup-pixi',
  'astral-sh/setup-uv',
  'pypa/gh-action-pypi-publish',
];
/** Setup actions whose cache is on unless an input turns it off: action -> input. */
export const CACHE_ON_BY_DEFAULT: Record<string, string> = {
  'prefix-dev/setup-pixi': 'cache', // on when pixi.lock exists
  'astral-sh/setup-uv': 'enable-cache', // "auto": on on GitHub-hosted runners
  'actions/setup-go': 'cache',
};
export const CACHE_INPUTS = ['cache', 'enable-cache', 'cache-python', 'sccache']; // sccache: PyO3/maturin-action's GitHub Actions cache
export const ADVISORIES = [{ action: 'pypa/gh-action-pypi-publish', fixedIn: '1.13.0', id: 'GHSA-vxmw-7h4f-hqxh' }];
/** Actions that set up a toolchain, which then runs the project's code. */
export const TOOLCHAIN_ACTIONS = ['actions/setup-python', 'astral-sh/setup-uv', 'prefix-dev/setup-pixi', 'actions/setup-node', 'pdm-project/setup-pdm', 'snok/install-poetry', 'pypa/cibuildwheel', 'PyO3/maturin-action'];
/** Commands that run the project's code or install packages. */
export const PROJECT_COMMAND = /(^|[\s;&|(])(pixi|uv|uvx|poetry|hatch|pip3?|pipx|pdm|tox|nox|npm|npx|yarn|pnpm|make|pytest|git-cliff|twine)\s|python3?\s+(-m\s+)?(build|pip|pytest|setup\.py)\b/m;
/** Actions that sign with the job's OIDC identity (artifact attestations). */
export const SIGNING_ACTIONS = ['actions/attest', 'actions/attest-build-provenance', 'sigstore/gh-action-sigstore-python'];

/** Commands that publish or release: a job running one must not restore caches. */
export const RELEASING_COMMAND = /\b(gh\s+release\s+(create|upload)|git\s+push|twine\s+upload|(uv|poetry|hatch|flit|pdm|pixi)\s+publish)\b/;
/** Commands that write through a token: what justifies a write scope. */
export const WRITING_COMMAND = /\b(git\s+push|gh\s+(release\s+(create|upload|delete|edit)|pr\s+(create|merge|comment|edit|close|review)|issue\s+(create|comment|edit|close)|label\s+create)|gh\s+api\b[^\n]*(--method|-X)\s*(POST|PUT|PATCH|DELETE)|curl\b[^\n]*-X\s*(POST|PUT|PATCH|DELETE))\b/;
export const GITHUB_TOKEN = /\bgithub\.token\b|\bsecrets\.GITHUB_TOKEN\b/i;
/** Contexts whose values no outsider controls. */
export const TRUSTED_EXPRESSION = /^(secrets\.\w+|github\.(token|repository|repository_owner|repository_id|workspace|sha|run_id|run_number|run_attempt|server_url|api_url|workflow|job|action_path)|runner\.\w+|matrix\.[\w.-]+|vars\.\w+|env\.\w+)$/;
export const SHA_PIN = /^[^@\s]+@[0-9a-f]{40}$/;
export const VERSION_COMMENT = /^v\d+\.\d+\.\d+$/;

export interface StepView {
  readonly index: number;
  readonly label: string;
  readonly raw: any;
  readonly action?: string;
  readonly run?: string;
}

export interface JobView {
  readonly id: string;
  readonly raw: any;
  readonly steps: StepView[];
}

export class Context {
  public readonly findings: RuleFinding[] = [];
  public readonly wf: any;
  public readonly jobs: JobView[];

  public constructor(public readonly doc: Document, public readonly pinVersions: Record<string, string>) {
    this.wf = doc.toJS() ?? {};
    this.jobs = Object.entries<any>(isObject(this.wf.jobs) ? this.wf.jobs : {}).map(([id, raw]) => ({
      id,
      raw: raw ?? {},
      steps: (Array.isArray(raw?.steps) ? raw.steps : []).map((s: any, index: number) => ({
        index,
        label: `job "${id}" step "${s?.id ?? s?.name ?? `#${index + 1}`}"`,
        raw: s ?? {},
        action: typeof s?.uses === 'string' ? actionName(s.uses) : undefined,
        run: typeof s?.run === 'string' ? s.run : undefined,
      })),
    }));
  }

  public report(rule: string, where: string, message: string): void {
    this.findings.push({ rule, where, message });
  }

  public comment(path: Array<string | number>): string | undefined {
    const node = this.doc.getIn(path, true);
    return isScalar(node) && node.comment ? node.comment.trim() : undefined;
  }

  public get triggers(): string[] {
    const on = this.wf.on;
    if (typeof on === 'string') return [on];
    if (Array.isArray(on)) return on.map(String);
    return isObject(on) ? Object.keys(on) : [];
  }

  /** Whether the workflow is started by a release or a tag push (then every job releases). */
  public get releaseTriggered(): boolean {
    const on = this.wf.on;
    if (this.triggers.includes('release')) return true;
    return isObject(on) && isObject(on.push) && on.push.tags !== undefined;
  }
}

export type Check = (ctx: Context) => void;

export function isObject(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function isNonEmptyString(x: unknown): boolean {
  return typeof x === 'string' && x.trim().length > 0;
}

/** `owner/repo` (or `owner/repo/path`) of a `uses:` value, without the ref. */
export function actionName(uses: string): string {
  return uses.replace(/@.*$/, '');
}

/** The expressions inside `${{ }}` in a string. */
export function expressions(value: string): string[] {
  return [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1].trim());
}

export function firstExpression(value: string): string {
  return /\$\{\{[\s\S]*?\}\}/.exec(value)?.[0] ?? '${{';
}

/** Every string value in the workflow, with where it is. */
export function strings(ctx: Context): Array<{ where: string; value: string }> {
  const out: Array<{ where: string; value: string }> = [];
  const walk = (where: string, x: unknown) => {
    if (typeof x === 'string') out.push({ where, value: x });
    else if (Array.isArray(x)) x.forEach((v) => walk(where, v));
    else if (isObject(x)) Object.values(x).forEach((v) => walk(where, v));
  };
  for (const [key, value] of Object.entries<any>(ctx.wf)) if (key !== 'jobs') walk('workflow', value);
  for (const job of ctx.jobs) {
    for (const [key, value] of Object.entries<any>(job.raw)) if (key !== 'steps') walk(`job "${job.id}"`, value);
    for (const s of job.steps) walk(s.label, s.raw);
  }
  return out;
}

/** An artifact name or download pattern (`wheels-*`) as a regular expression over artifact names (an expression in a name matches anything there). */
export function globRegExp(pattern: string): RegExp {
  const parts = pattern.split(/(\*|\$\{\{[^}]*\}\})/).map((p) => (p === '*' || p.startsWith('${{') ? '.*' : p.replace(/[.+?^$()[\]{}|\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('')}$`);
}

/** Why a step restores a cache, or undefined. */
export function cacheOf(s: StepView): string | undefined {
  if (!s.action) return undefined;
  if (/^actions\/cache(\/(restore|save))?$/.test(s.action)) return `it uses ${s.action}`;
  const w = isObject(s.raw.with) ? s.raw.with : {};
  for (const key of CACHE_INPUTS) {
    const v = w[key];
    if (v !== undefined && v !== false && !['false', ''].includes(String(v).trim())) {
      return `${s.action} has \`${key}: ${String(v)}\``;
    }
  }
  const defaultInput = CACHE_ON_BY_DEFAULT[s.action];
  if (defaultInput && w[defaultInput] === undefined) {
    return `${s.action} caches by default and \`${defaultInput}: false\` is not set`;
  }
  return undefined;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
