import { Document, isScalar, parseDocument } from 'yaml';
import { ActionPins } from '../../src';

/**
 * The "Secure by default" rules as a reusable checker: `checkWorkflow(text)` reads a workflow's
 * YAML text (for the comments) and its parsed document, and returns one `RuleFinding` per
 * violation, each naming its rule, where it is and why it matters. An empty list means the
 * workflow follows every rule.
 *
 * The rules are the project's own plus the zizmor audits our output could trigger (their zizmor
 * names are given with each rule).
 */

/** One rule: its id (used in findings), what it demands, and the zizmor audit it mirrors. */
export interface SecurityRule {
  /** Short kebab-case id, e.g. `top-level-permissions`. */
  readonly id: string;
  /** What a workflow must do, one line (for the README). */
  readonly summary: string;
  /** The zizmor audit this mirrors, if any. */
  readonly zizmor?: string;
}

/** A violation of a rule. */
export interface RuleFinding {
  /** The rule's id. */
  readonly rule: string;
  /** Where: `workflow`, `job "x"`, `job "x" step "y"`. */
  readonly where: string;
  /** What is wrong, why it matters and how to fix it. */
  readonly message: string;
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

const PUBLISHING_ACTIONS = ['pypa/gh-action-pypi-publish'];
/** Actions known to need no GITHUB_TOKEN scope at all (they only reach public APIs, if any). */
const TOKENLESS_ACTIONS = [
  'actions/upload-artifact',
  'actions/download-artifact',
  'actions/setup-python',
  'actions/create-github-app-token',
  'prefix-dev/setup-pixi',
  'astral-sh/setup-uv',
  'pypa/gh-action-pypi-publish',
];
/** Setup actions whose cache is on unless an input turns it off: action -> input. */
const CACHE_ON_BY_DEFAULT: Record<string, string> = {
  'prefix-dev/setup-pixi': 'cache', // on when pixi.lock exists
  'astral-sh/setup-uv': 'enable-cache', // "auto": on on GitHub-hosted runners
  'actions/setup-go': 'cache',
};
const CACHE_INPUTS = ['cache', 'enable-cache', 'cache-python', 'sccache']; // sccache: PyO3/maturin-action's GitHub Actions cache
const ADVISORIES = [{ action: 'pypa/gh-action-pypi-publish', fixedIn: '1.13.0', id: 'GHSA-vxmw-7h4f-hqxh' }];
/** Actions that set up a toolchain, which then runs the project's code. */
const TOOLCHAIN_ACTIONS = ['actions/setup-python', 'astral-sh/setup-uv', 'prefix-dev/setup-pixi', 'actions/setup-node', 'pdm-project/setup-pdm', 'snok/install-poetry', 'pypa/cibuildwheel', 'PyO3/maturin-action'];
/** Commands that run the project's code or install packages. */
const PROJECT_COMMAND = /(^|[\s;&|(])(pixi|uv|uvx|poetry|hatch|pip3?|pipx|pdm|tox|nox|npm|npx|yarn|pnpm|make|pytest|git-cliff|twine)\s|python3?\s+(-m\s+)?(build|pip|pytest|setup\.py)\b/m;
/** Actions that sign with the job's OIDC identity (artifact attestations). */
const SIGNING_ACTIONS = ['actions/attest', 'actions/attest-build-provenance', 'sigstore/gh-action-sigstore-python'];

/** Commands that publish or release: a job running one must not restore caches. */
const RELEASING_COMMAND = /\b(gh\s+release\s+(create|upload)|git\s+push|twine\s+upload|(uv|poetry|hatch|flit|pdm|pixi)\s+publish)\b/;
/** Commands that write through a token: what justifies a write scope. */
const WRITING_COMMAND = /\b(git\s+push|gh\s+(release\s+(create|upload|delete|edit)|pr\s+(create|merge|comment|edit|close|review)|issue\s+(create|comment|edit|close)|label\s+create)|gh\s+api\b[^\n]*(--method|-X)\s*(POST|PUT|PATCH|DELETE)|curl\b[^\n]*-X\s*(POST|PUT|PATCH|DELETE))\b/;
const GITHUB_TOKEN = /\bgithub\.token\b|\bsecrets\.GITHUB_TOKEN\b/i;
/** Contexts whose values no outsider controls. */
const TRUSTED_EXPRESSION = /^(secrets\.\w+|github\.(token|repository|repository_owner|repository_id|workspace|sha|run_id|run_number|run_attempt|server_url|api_url|workflow|job|action_path)|runner\.\w+|matrix\.[\w.-]+|vars\.\w+|env\.\w+)$/;
const SHA_PIN = /^[^@\s]+@[0-9a-f]{40}$/;
const VERSION_COMMENT = /^v\d+\.\d+\.\d+$/;

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

// ---------------------------------------------------------------------------------------------

interface StepView {
  readonly index: number;
  readonly label: string;
  readonly raw: any;
  readonly action?: string;
  readonly run?: string;
}

interface JobView {
  readonly id: string;
  readonly raw: any;
  readonly steps: StepView[];
}

class Context {
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

type Check = (ctx: Context) => void;

const CHECKS: Check[] = [
  function topLevelPermissions(ctx) {
    const p = ctx.wf.permissions;
    if (p === undefined) {
      ctx.report('top-level-permissions', 'workflow', 'no top-level `permissions:`, so every job without its own block gets the repository\'s default GITHUB_TOKEN scopes (often read/write on everything). Add `permissions: {}` at the top and grant scopes per job.');
    } else if (!isObject(p) || Object.keys(p).length > 0) {
      ctx.report('top-level-permissions', 'workflow', `top-level \`permissions: ${JSON.stringify(p)}\` grants scopes to every job. Use \`permissions: {}\` at the top and grant each job only what its steps need.`);
    }
  },

  function jobPermissions(ctx) {
    for (const job of ctx.jobs) {
      const p = job.raw.permissions;
      if (p === undefined) {
        ctx.report('job-permissions', `job "${job.id}"`, 'the job declares no `permissions:`; declare them explicitly (`{}` if it needs none) so that what it can do is visible and does not change with the top level.');
      } else if (!isObject(p)) {
        ctx.report('job-permissions', `job "${job.id}"`, `\`permissions: ${String(p)}\` grants every scope at once; list only the scopes the job's steps need.`);
      }
    }
  },

  function leastPrivilege(ctx) {
    const workflowToken = GITHUB_TOKEN.test(JSON.stringify(ctx.wf.env ?? {}));
    for (const job of ctx.jobs) {
      const p = job.raw.permissions;
      if (!isObject(p)) continue;
      const jobToken = workflowToken || GITHUB_TOKEN.test(JSON.stringify(job.raw.env ?? {}));
      const checkoutWithToken = job.steps.some((s) => s.action === 'actions/checkout' && (s.raw.with?.token === undefined || GITHUB_TOKEN.test(String(s.raw.with.token))));
      const persisted = job.steps.some((s) => s.action === 'actions/checkout' && String(s.raw.with?.['persist-credentials']) !== 'false');
      const unknownAction = job.steps.find((s) => s.action && s.action !== 'actions/checkout' && !TOKENLESS_ACTIONS.includes(s.action));
      const tokenSteps = job.steps.filter((s) => jobToken || GITHUB_TOKEN.test(JSON.stringify({ env: s.raw.env, with: s.raw.with })));
      const readers = [...(checkoutWithToken ? ['actions/checkout'] : []), ...tokenSteps.map((s) => s.label)];
      const writes = tokenSteps.some((s) => s.run !== undefined && WRITING_COMMAND.test(s.run))
        || (checkoutWithToken && persisted && job.steps.some((s) => s.run !== undefined && /\bgit\s+push\b/.test(s.run)));
      for (const [scope, level] of Object.entries<any>(p)) {
        if (scope === 'id-token' || level === 'none') continue;
        if (unknownAction) continue; // an action we do not know may use any scope
        const where = `job "${job.id}"`;
        if (readers.length === 0) {
          ctx.report('least-privilege', where, `grants \`${scope}: ${level}\`, but no step can use the GITHUB_TOKEN: there is no actions/checkout and no step is given \`github.token\`/\`secrets.GITHUB_TOKEN\`. A job that neither checks out nor calls gh or the API needs no scope; drop it.`);
        } else if (scope !== 'contents' && !tokenSteps.length) {
          ctx.report('least-privilege', where, `grants \`${scope}: ${level}\`, but the only use of the GITHUB_TOKEN is actions/checkout, which needs \`contents: read\` alone; drop \`${scope}\`.`);
        } else if (level === 'write' && !writes) {
          ctx.report('least-privilege', where, `grants \`${scope}: write\`, but no step writes with the GITHUB_TOKEN (no git push, gh release/pr/issue, or API call with POST/PUT/PATCH/DELETE among ${readers.join(', ')}); \`${scope}: read\` is enough.`);
        }
      }
    }
  },

  function idTokenOnlyForPublishing(ctx) {
    for (const job of ctx.jobs) {
      const level = isObject(job.raw.permissions) ? job.raw.permissions['id-token'] : undefined;
      if (level === undefined || level === 'none') continue;
      if (!job.steps.some((s) => s.action && [...PUBLISHING_ACTIONS, ...SIGNING_ACTIONS].includes(s.action))) {
        ctx.report('id-token-only-for-publishing', `job "${job.id}"`, `has \`id-token: ${level}\` but calls no publishing action (${PUBLISHING_ACTIONS.join(', ')}). An OIDC token can be exchanged for a PyPI upload token by any step of the job; grant it only to the job that publishes.`);
      }
    }
  },

  function writePermissionReason(ctx) {
    const blocks: Array<[string, Array<string | number>, any]> = [['workflow', ['permissions'], ctx.wf.permissions]];
    for (const job of ctx.jobs) blocks.push([`job "${job.id}"`, ['jobs', job.id, 'permissions'], job.raw.permissions]);
    for (const [where, path, p] of blocks) {
      if (!isObject(p)) continue;
      for (const [scope, level] of Object.entries(p)) {
        if (level === 'write' && !ctx.comment([...path, scope])) {
          ctx.report('write-permission-reason', where, `\`${scope}: write\` has no comment; say on that line why the job must write (e.g. \`${scope}: write # push the release tag\`), so that a reviewer can tell whether it is still needed.`);
        }
      }
    }
  },

  function noExpressionsInRun(ctx) {
    for (const job of ctx.jobs) {
      for (const s of job.steps) {
        if (s.run?.includes('${{')) {
          ctx.report('no-expressions-in-run', s.label, `\`run:\` contains \`${firstExpression(s.run)}\`. GitHub pastes the value into the script before bash reads it, so a crafted value runs as code (script injection). Pass it through \`env:\` and use "$NAME" in the script.`);
        }
        const script = s.action === 'actions/github-script' ? s.raw.with?.script : undefined;
        if (typeof script === 'string' && script.includes('${{')) {
          ctx.report('no-expressions-in-run', s.label, `the github-script \`script:\` contains \`${firstExpression(script)}\`, which is pasted into the JavaScript (code injection). Pass it through \`env:\` and read \`process.env.NAME\`.`);
        }
      }
    }
  },

  function pinnedUses(ctx) {
    for (const job of ctx.jobs) {
      if (typeof job.raw.uses === 'string' && !job.raw.uses.startsWith('./') && !SHA_PIN.test(job.raw.uses)) {
        ctx.report('pinned-uses', `job "${job.id}"`, `calls the reusable workflow "${job.raw.uses}" by a movable ref; pin it to a full commit SHA.`);
      }
      for (const s of job.steps) {
        const uses = s.raw.uses;
        if (uses === undefined) continue;
        if (typeof uses !== 'string') {
          ctx.report('pinned-uses', s.label, '`uses:` is not a string.');
          continue;
        }
        if (uses.startsWith('./')) continue; // a local action is pinned by the checkout itself
        if (uses.startsWith('docker://')) {
          if (!/@sha256:[0-9a-f]{64}$/.test(uses)) {
            ctx.report('pinned-uses', s.label, `the container "${uses}" is not pinned by digest; use docker://image@sha256:<digest>.`);
          }
          continue;
        }
        if (!SHA_PIN.test(uses)) {
          ctx.report('pinned-uses', s.label, `\`uses: ${uses}\` is not pinned to a full 40-character commit SHA. A tag or branch can be moved to other code at any time (tj-actions/changed-files, 2025); pin the commit (ActionPins) and write its tag as a comment.`);
          continue;
        }
        const comment = ctx.comment(['jobs', job.id, 'steps', s.index, 'uses']);
        if (!comment || !VERSION_COMMENT.test(comment)) {
          ctx.report('pinned-uses', s.label, `\`uses: ${uses}\` has ${comment ? `the comment "# ${comment}"` : 'no comment'}; write the release tag the SHA carries as \`# vX.Y.Z\` on the same line, which is what Dependabot and Renovate read and update (register your own pins with PipelineWorkflow.pinAction()).`);
        }
      }
    }
  },

  function pinVersionMatches(ctx) {
    for (const job of ctx.jobs) {
      for (const s of job.steps) {
        const uses = s.raw.uses;
        if (typeof uses !== 'string' || !(uses in ctx.pinVersions)) continue;
        const comment = ctx.comment(['jobs', job.id, 'steps', s.index, 'uses']);
        if (comment && VERSION_COMMENT.test(comment) && comment !== ctx.pinVersions[uses]) {
          ctx.report('pin-version-matches', s.label, `\`${uses}\` is ${ctx.pinVersions[uses]} in the catalog, but its comment says ${comment}. Dependabot and Renovate trust the comment, so a wrong one hides the real version from updates and reviews; write \`# ${ctx.pinVersions[uses]}\`.`);
        }
      }
    }
  },

  function knownVulnerableActions(ctx) {
    for (const job of ctx.jobs) {
      for (const s of job.steps) {
        const advisory = ADVISORIES.find((a) => a.action === s.action);
        if (!advisory) continue;
        const version = ctx.pinVersions[s.raw.uses] ?? ctx.comment(['jobs', job.id, 'steps', s.index, 'uses']);
        if (version && VERSION_COMMENT.test(version) && compareVersions(version.slice(1), advisory.fixedIn) < 0) {
          ctx.report('known-vulnerable-actions', s.label, `${advisory.action} ${version} is affected by ${advisory.id}; pin v${advisory.fixedIn} or later.`);
        }
      }
    }
  },

  function persistCredentials(ctx) {
    for (const job of ctx.jobs) {
      const pushes = job.steps.some((s) => s.run !== undefined && /\bgit\s+push\b/.test(s.run));
      if (pushes) continue;
      for (const s of job.steps) {
        if (s.action !== 'actions/checkout') continue;
        const value = s.raw.with?.['persist-credentials'];
        if (value !== false && value !== 'false') {
          ctx.report('persist-credentials', s.label, 'actions/checkout without `persist-credentials: false` leaves the GITHUB_TOKEN on disk for every later step and anything they upload (artipacked), and this job never runs git push. Set `persist-credentials: false`.');
        }
      }
    }
  },

  function artifactScope(ctx) {
    for (const job of ctx.jobs) {
      for (const s of job.steps) {
        if (s.action !== 'actions/upload-artifact') continue;
        const paths = String(s.raw.with?.path ?? '').split('\n').map((p) => p.trim()).filter(Boolean);
        const bad = paths.find((p) => /^(\.\/?|\*+|\$\{\{\s*github\.workspace\s*\}\}\/?)$/.test(p) || /(^|\/)\.git(\/|$)/.test(p));
        if (bad) {
          ctx.report('artifact-scope', s.label, `uploads "${bad}", which takes in the checkout's .git (and any credentials in it). Upload the files you mean, e.g. dist/*.whl.`);
        }
      }
    }
  },

  function noProjectCodeWithSecrets(ctx) {
    for (const job of ctx.jobs) {
      const secrets = [...JSON.stringify(job.raw).matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]).filter((n) => n !== 'GITHUB_TOKEN');
      if (!secrets.length) continue;
      for (const s of job.steps) {
        const setup = s.action && TOOLCHAIN_ACTIONS.includes(s.action);
        const command = s.run !== undefined ? PROJECT_COMMAND.exec(s.run) : null;
        if (setup || command) {
          ctx.report('no-project-code-with-secrets', s.label, `${setup ? `sets up a toolchain (${s.action})` : `runs \`${command![0].trim()}\``} in a job that reads secrets.${secrets[0]}: the project's code (a build backend, a test, a config file) could read the secret or plant hooks for the steps that use it. Build in a job without secrets and hand the files on as an artifact.`);
        }
      }
    }
  },

  function noCacheInReleaseJobs(ctx) {
    const releasingJobs = ctx.jobs.filter((j) => j.steps.some((s) =>
      (s.run !== undefined && RELEASING_COMMAND.test(s.run)) || (s.action && PUBLISHING_ACTIONS.includes(s.action))));
    // The artifacts that end up released: downloaded by a releasing job, or (transitively) by a job
    // that uploads such an artifact (a wheel matrix -> gather -> release), by name or by pattern.
    const downloads = (j: typeof ctx.jobs[number]) => j.steps.filter((s) => s.action === 'actions/download-artifact')
      .map((s) => globRegExp(String(s.raw.with?.name ?? s.raw.with?.pattern ?? '')));
    const uploads = (j: typeof ctx.jobs[number]) => j.steps.filter((s) => s.action === 'actions/upload-artifact').map((s) => String(s.raw.with?.name ?? ''));
    const released: RegExp[] = releasingJobs.flatMap(downloads);
    const direct = released.length;
    const inPath = new Set(releasingJobs);
    for (let grew = true; grew;) {
      grew = false;
      for (const job of ctx.jobs) {
        if (!inPath.has(job) && uploads(job).some((name) => released.some((r) => r.test(name)))) {
          inPath.add(job);
          released.push(...downloads(job));
          grew = true;
        }
      }
    }
    for (const job of ctx.jobs) {
      const publishing = job.steps.find((s) => s.action && PUBLISHING_ACTIONS.includes(s.action));
      const releasing = job.steps.find((s) => s.run !== undefined && RELEASING_COMMAND.test(s.run));
      const uploaded = (s: typeof job.steps[number], among: RegExp[]) => s.action === 'actions/upload-artifact' && among.some((r) => r.test(String(s.raw.with?.name ?? '')));
      const builds = inPath.has(job) ? job.steps.find((s) => uploaded(s, released)) : undefined;
      const directly = builds !== undefined && uploaded(builds, released.slice(0, direct));
      const why = ctx.releaseTriggered ? 'the workflow runs on a release or tag, so every job builds or handles what gets published'
        : publishing ? `it publishes (${publishing.action})`
          : releasing ? `it releases (${releasing.run!.match(RELEASING_COMMAND)![0]} in ${releasing.label})`
            : builds ? `it builds what gets released (the artifact "${builds.raw.with?.name}" that a releasing job downloads${directly ? '' : ' through a job that hands it on'})` : undefined;
      if (!why) continue;
      for (const s of job.steps) {
        const cache = cacheOf(s);
        if (cache) {
          ctx.report('no-cache-in-release-jobs', s.label, `${cache}, but ${why}. A poisoned cache entry (written by any workflow run on the branch) would run inside the release (cache poisoning, as in the Ultralytics compromise). Turn the cache off here; keep it in check jobs.`);
        }
      }
    }
  },

  function named(ctx) {
    if (!isNonEmptyString(ctx.wf.name)) {
      ctx.report('named', 'workflow', 'the workflow has no `name:`, so it shows up in the Actions tab under its file path; give it one.');
    }
    for (const job of ctx.jobs) {
      if (!isNonEmptyString(job.raw.name)) {
        ctx.report('named', `job "${job.id}"`, 'the job has no `name:`; give it one, so that checks and logs say what runs.');
      }
    }
  },

  function concurrency(ctx) {
    const check = (where: string, c: any, required: boolean) => {
      if (c === undefined) {
        if (required) ctx.report('concurrency', where, 'no `concurrency:`; two runs could release at once. Add a group with an explicit `cancel-in-progress` (false for releases, so a run is never cut off halfway).');
      } else if (!isObject(c) || c.group === undefined || c['cancel-in-progress'] === undefined) {
        ctx.report('concurrency', where, `\`concurrency: ${JSON.stringify(c)}\` does not say \`cancel-in-progress\`; write it explicitly (false for releases, so a run is never cut off halfway).`);
      }
    };
    check('workflow', ctx.wf.concurrency, true);
    for (const job of ctx.jobs) check(`job "${job.id}"`, job.raw.concurrency, false);
  },

  function dangerousTriggers(ctx) {
    for (const t of ctx.triggers.filter((x) => x === 'pull_request_target' || x === 'workflow_run')) {
      ctx.report('dangerous-triggers', 'workflow', `\`on: ${t}\` runs with the base repository's secrets and token on events an outsider can cause (a fork's pull request); use pull_request, workflow_dispatch or release.`);
    }
  },

  function secretsInherit(ctx) {
    for (const job of ctx.jobs) {
      if (job.raw.secrets === 'inherit') {
        ctx.report('secrets-inherit', `job "${job.id}"`, '`secrets: inherit` hands every secret of the repository to the called workflow; pass the ones it needs by name.');
      }
    }
  },

  function overprovisionedSecrets(ctx) {
    for (const { where, value } of strings(ctx)) {
      for (const e of expressions(value)) {
        if (/\btoJSON\s*\(\s*secrets\s*\)/i.test(e) || /\bsecrets\s*\[/.test(e) || /\bsecrets\b(?!\s*[.[])/.test(e)) {
          ctx.report('overprovisioned-secrets', where, `\`\${{ ${e} }}\` exposes the whole secrets context to the runner; name each secret (\`secrets.NAME\`).`);
        }
      }
    }
  },

  function unredactedSecrets(ctx) {
    for (const { where, value } of strings(ctx)) {
      for (const e of expressions(value)) {
        if (/\bfromJSON\s*\(\s*secrets\./i.test(e)) {
          ctx.report('unredacted-secrets', where, `\`\${{ ${e} }}\` takes a part of a secret, which GitHub does not mask in logs; store each part as its own secret.`);
        }
      }
    }
  },

  function secretsInStepScope(ctx) {
    const scopes: Array<[string, any]> = [['workflow', ctx.wf.env], ...ctx.jobs.map((j): [string, any] => [`job "${j.id}"`, j.raw.env])];
    for (const [where, env] of scopes) {
      if (!isObject(env)) continue;
      for (const [name, value] of Object.entries(env)) {
        if (/\bsecrets\.\w+/.test(String(value)) && !/^\$\{\{\s*secrets\.GITHUB_TOKEN\s*\}\}$/i.test(String(value))) {
          ctx.report('secrets-in-step-scope', where, `\`env.${name}\` puts a secret into the environment of every step${where === 'workflow' ? ' of every job' : ''}, third-party actions included; pass it in the \`env:\` of the step that needs it.`);
        }
      }
    }
  },

  function secretsOutsideEnv(ctx) {
    for (const job of ctx.jobs) {
      if (job.raw.environment !== undefined) continue;
      const used = new Set<string>();
      for (const m of JSON.stringify({ ...job.raw, ...(ctx.wf.env ? { wfEnv: ctx.wf.env } : {}) }).matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
        if (m[1].toUpperCase() !== 'GITHUB_TOKEN') used.add(m[1]);
      }
      if (used.size) {
        ctx.report('secrets-outside-env', `job "${job.id}"`, `reads ${[...used].map((s) => `secrets.${s}`).join(', ')} but runs in no deployment environment, so any workflow on any branch can read ${used.size > 1 ? 'them' : 'it'} too. Give the job an \`environment:\` whose protection rules (branch or tag policy, reviewers) guard it, and store the secret there instead of at repository level.`);
      }
    }
  },

  function insecureCommands(ctx) {
    const envs: Array<[string, any]> = [['workflow', ctx.wf.env]];
    for (const job of ctx.jobs) {
      envs.push([`job "${job.id}"`, job.raw.env]);
      for (const s of job.steps) {
        envs.push([s.label, s.raw.env]);
        if (s.run && /::(set-env|add-path)\b/.test(s.run)) {
          ctx.report('insecure-commands', s.label, 'the script uses the `::set-env`/`::add-path` workflow commands, which anything that prints to the log can forge; write to $GITHUB_OUTPUT (or, with trusted values only, $GITHUB_ENV/$GITHUB_PATH) instead.');
        }
      }
    }
    for (const [where, env] of envs) {
      if (isObject(env) && Object.keys(env).some((k) => k.toUpperCase() === 'ACTIONS_ALLOW_UNSECURE_COMMANDS')) {
        ctx.report('insecure-commands', where, '`ACTIONS_ALLOW_UNSECURE_COMMANDS` turns the deprecated `::set-env`/`::add-path` commands back on, so any step output can set variables or PATH; remove it.');
      }
    }
  },

  function githubEnv(ctx) {
    for (const job of ctx.jobs) {
      for (const s of job.steps) {
        if (!s.run || !/\bGITHUB_(ENV|PATH)\b/.test(s.run)) continue;
        const env = { ...(ctx.wf.env ?? {}), ...(job.raw.env ?? {}), ...(s.raw.env ?? {}) };
        const untrusted = Object.entries(env)
          .filter(([, v]) => expressions(String(v)).some((e) => !TRUSTED_EXPRESSION.test(e.trim())))
          .filter(([k]) => new RegExp(`\\$\\{?${k}\\b`).test(s.run!));
        if (untrusted.length) {
          ctx.report('github-env', s.label, `writes to $GITHUB_ENV/$GITHUB_PATH while it receives ${untrusted.map(([k]) => k).join(', ')} from an expression others can influence; a crafted value could set LD_PRELOAD, BASH_ENV or PATH for every later step. Pass values on through $GITHUB_OUTPUT and step outputs instead.`);
        }
      }
    }
  },

  function useTrustedPublishing(ctx) {
    for (const job of ctx.jobs) {
      const idToken = isObject(job.raw.permissions) && job.raw.permissions['id-token'] === 'write';
      for (const s of job.steps) {
        if (s.action && PUBLISHING_ACTIONS.includes(s.action) && s.raw.with?.password !== undefined && idToken) {
          ctx.report('use-trusted-publishing', s.label, 'sets `password:` in a job that has `id-token: write`: a set token silently wins over trusted publishing and turns the PEP 740 attestations off, and the OIDC permission is granted for nothing. Drop the password (trusted publishing), or drop `id-token: write` (API tokens).');
        }
      }
    }
  },

  function isolatedPublishJob(ctx) {
    for (const job of ctx.jobs) {
      const publishes = job.steps.filter((s) => s.action && PUBLISHING_ACTIONS.includes(s.action));
      if (publishes.length === 0) continue;
      if (publishes.length > 1) {
        ctx.report('isolated-publish-job', `job "${job.id}"`, `calls ${publishes[0].action} ${publishes.length} times; one call per job (two uploads from one job clash on their *.publish.attestation files, pypa/gh-action-pypi-publish#283). Use one job per index.`);
      }
      for (const s of job.steps) {
        if (publishes.includes(s) || s.action === 'actions/download-artifact') continue;
        ctx.report('isolated-publish-job', s.label, `runs in the publishing job, where ${isObject(job.raw.permissions) && job.raw.permissions['id-token'] === 'write' ? 'it could mint PyPI upload tokens through the OIDC permission' : 'it could tamper with the files just before the upload'}. The publishing job only downloads the verified files and uploads them; move this step to an earlier job.`);
      }
    }
  },

  function unsoundCondition(ctx) {
    const conditions: Array<[string, unknown]> = [];
    for (const job of ctx.jobs) {
      conditions.push([`job "${job.id}"`, job.raw.if]);
      for (const s of job.steps) conditions.push([s.label, s.raw.if]);
    }
    for (const [where, cond] of conditions) {
      if (typeof cond !== 'string' || !cond.includes('${{')) continue;
      const fenced = /^\$\{\{([\s\S]*)\}\}$/.exec(cond);
      if (!fenced || fenced[1].includes('}}')) {
        ctx.report('unsound-condition', where, `\`if: ${JSON.stringify(cond)}\` has text outside its \${{ }}, so it is a non-empty string and always true. Write the condition bare (without \${{ }}) or as exactly one \${{ ... }}.`);
      }
    }
  },
];

// ---------------------------------------------------------------------------------------------

function isObject(x: unknown): x is Record<string, any> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isNonEmptyString(x: unknown): boolean {
  return typeof x === 'string' && x.trim().length > 0;
}

/** `owner/repo` (or `owner/repo/path`) of a `uses:` value, without the ref. */
function actionName(uses: string): string {
  return uses.replace(/@.*$/, '');
}

/** The expressions inside `${{ }}` in a string. */
function expressions(value: string): string[] {
  return [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1].trim());
}

function firstExpression(value: string): string {
  return /\$\{\{[\s\S]*?\}\}/.exec(value)?.[0] ?? '${{';
}

/** Every string value in the workflow, with where it is. */
function strings(ctx: Context): Array<{ where: string; value: string }> {
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
function globRegExp(pattern: string): RegExp {
  const parts = pattern.split(/(\*|\$\{\{[^}]*\}\})/).map((p) => (p === '*' || p.startsWith('${{') ? '.*' : p.replace(/[.+?^$()[\]{}|\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('')}$`);
}

/** Why a step restores a cache, or undefined. */
function cacheOf(s: StepView): string | undefined {
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

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
