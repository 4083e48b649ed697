import { Component, FileBase, IResolver, Project, Task } from 'projen';
import { applyScript } from './apply-script';
import { environmentsFileContent, OWNER, planEnvironments, PlannedEnvironment, REPO, SITES, trustedPublisherLines } from './environment-plan';
import { RepositoryRuleset } from './repository-ruleset';
import { planRulesets, PlannedRuleset } from './ruleset-plan';
import { Environment } from '../workflow/environment';
import { registerEnvironmentsWriter } from '../workflow/environments-registry';
import { MarkedFile } from '../workflow/file-marker';

export * from './repository-ruleset';
export * from './ruleset-bypass';

const ID = 'EnvironmentsConfig';
const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+$/;

/** What to enter on PyPI or TestPyPI to register a trusted publisher ("GitHub" tab). */
export interface TrustedPublisherRegistration {
  /** `pypi` or `testpypi`. */
  readonly index: string;
  /** The site's name: `PyPI` or `TestPyPI`. */
  readonly site: string;
  /** "PyPI Project Name": the distribution name (asked for pending publishers only). */
  readonly projectName: string;
  /** "Owner": the GitHub user or organization that owns the repository. */
  readonly owner: string;
  /** "Repository name": the repository's name, without the owner. */
  readonly repository: string;
  /** "Workflow name": the workflow's file name, e.g. `publish.yml`. */
  readonly workflowFile: string;
  /** "Environment name": the deployment environment the publishing job runs in. */
  readonly environment: string;
  /** Where to add the publisher when the project exists on the index. */
  readonly publishingUrl: string;
  /** Where to add a "pending" publisher, for a project that does not exist yet. */
  readonly pendingPublisherUrl: string;
}

/** A generated file whose text is computed when the project is synthesized. */
class GeneratedFile extends MarkedFile {
  private readonly render: (file: FileBase) => string;

  public constructor(project: Project, filePath: string, render: (file: FileBase) => string) {
    super(project, filePath, { readonly: true, committed: true });
    this.render = render;
  }

  protected synthesizeContent(_resolver: IResolver): string | undefined {
    return this.render(this);
  }
}

/**
 * The GitHub deployment environments and repository rulesets of a project, as committed,
 * generated files, and the tasks that apply them to the repository.
 *
 * There is one per project tree (on the root project); the first `Environment` or
 * `RepositoryRuleset` created in a project creates it (they announce themselves through the
 * workflow layer's registry, so that layer never imports this one). At synth time it collects
 * every `Environment` and `RepositoryRuleset` of the tree, merges those of the same name (their
 * protection rules must agree; secrets, variables, trusted publishers and bypass actors add up)
 * and writes:
 *
 * - `.github/environments/environments.json`: data only. Each environment's protection rules
 *   (reviewers, `preventSelfReview`, wait timer, deployment tag/branch policy), the names (never
 *   the values) of the secrets and variables its jobs expect, its PyPI trusted publishers; each
 *   ruleset's target, refs, rules and bypass actors. JSON, because the apply script reads it
 *   with node's built-in `JSON.parse` (a `.projenrc.py` project has no node_modules), and a
 *   reviewer sees every change to the rules in a diff of a plain data file.
 * - `.github/environments/apply.cjs`: a self-contained CommonJS script (node's standard library
 *   only). It checks every name and pattern of the JSON and refuses the file, before sending
 *   anything, if it holds anything else; it builds each request itself from a fixed list of
 *   endpoints (environments, their deployment policies, secrets and variables listings, the
 *   reviewer and bypass actor look-ups, rulesets) and sends it with `gh api`.
 *
 * Tasks: `npx projen github:environments` applies (`-- --repo OWNER/REPO` picks the repository,
 * `-- --dry-run` previews); `npx projen github:environments:plan` is the dry run.
 */
export class EnvironmentsConfig extends Component {
  /** The configuration file, relative to the project root. */
  public static readonly CONFIG_PATH = '.github/environments/environments.json';
  /** The apply script, relative to the project root. */
  public static readonly SCRIPT_PATH = '.github/environments/apply.cjs';
  /** The task that applies the environments to the repository. */
  public static readonly APPLY_TASK = 'github:environments';
  /** The task that prints what applying would change, changing nothing. */
  public static readonly PLAN_TASK = 'github:environments:plan';

  /** The environments configuration of `project`'s tree, created on first use. */
  public static of(project: Project): EnvironmentsConfig {
    const root = project.root;
    const existing = root.node.tryFindChild(ID);
    if (existing instanceof EnvironmentsConfig) return existing;
    if (existing) {
      throw new Error(`Project "${root.name}" already has a construct with id "${ID}" that is not an EnvironmentsConfig; rename it.`);
    }
    return new EnvironmentsConfig(root);
  }

  /** The task that applies the environments (`github:environments`). */
  public readonly applyTask: Task;
  /** The dry-run task (`github:environments:plan`). */
  public readonly planTask: Task;

  private constructor(root: Project) {
    super(root, ID);
    for (const name of [EnvironmentsConfig.APPLY_TASK, EnvironmentsConfig.PLAN_TASK]) {
      if (root.tasks.tryFind(name)) {
        throw new Error(`Project "${root.name}" already has a task "${name}", which EnvironmentsConfig needs for the deployment environments. Remove or rename that task.`);
      }
    }
    this.applyTask = root.addTask(EnvironmentsConfig.APPLY_TASK, {
      description: `Create or update the GitHub deployment environments of ${EnvironmentsConfig.CONFIG_PATH} with gh (args: --dry-run, --repo OWNER/REPO)`,
      execArgs: ['node', EnvironmentsConfig.SCRIPT_PATH],
      receiveArgs: true,
    });
    this.planTask = root.addTask(EnvironmentsConfig.PLAN_TASK, {
      description: `Print what ${EnvironmentsConfig.APPLY_TASK} would change, changing nothing (args: --repo OWNER/REPO)`,
      execArgs: ['node', EnvironmentsConfig.SCRIPT_PATH, '--dry-run'],
      receiveArgs: true,
    });
    new GeneratedFile(root, EnvironmentsConfig.CONFIG_PATH, (file) => {
      const content = environmentsFileContent(this.planned(), this.plannedRulesets(), EnvironmentsConfig.APPLY_TASK, EnvironmentsConfig.PLAN_TASK);
      return JSON.stringify(file.marker ? { '//': file.marker, ...content } : content, undefined, 2) + '\n';
    });
    new GeneratedFile(root, EnvironmentsConfig.SCRIPT_PATH, (file) => applyScript(file.marker));
  }

  /** The names of the environments, merged and sorted. */
  public get environmentNames(): string[] {
    return this.planned().map((e) => e.name);
  }

  /** The names of the repository rulesets, merged and sorted. */
  public get rulesetNames(): string[] {
    return this.plannedRulesets().map((r) => r.name);
  }

  /**
   * What to register as trusted publisher on PyPI and TestPyPI for every publisher recorded on an
   * environment (`Environment.addTrustedPublisher`).
   * @param repository `owner/name` of the GitHub repository; default: `{owner}/{repo}` placeholders
   */
  public trustedPublisherRegistrations(repository?: string): TrustedPublisherRegistration[] {
    const [owner, repo] = this.splitRepository(repository);
    return this.planned().flatMap((e) => e.trustedPublishers.map((p) => ({
      index: p.index,
      site: SITES[p.index].name,
      projectName: p.projectName,
      owner,
      repository: repo,
      workflowFile: p.workflowFile,
      environment: e.name,
      publishingUrl: `${SITES[p.index].host}/manage/project/${p.projectName}/settings/publishing/`,
      pendingPublisherUrl: `${SITES[p.index].host}/manage/account/publishing/`,
    })));
  }

  /**
   * The same as text, as the apply task prints it (empty when nothing publishes to PyPI).
   * @param repository `owner/name` of the GitHub repository; default: `{owner}/{repo}` placeholders
   */
  public trustedPublisherInstructions(repository?: string): string {
    const [owner, repo] = this.splitRepository(repository);
    const lines = trustedPublisherLines(this.planned(), owner, repo);
    return lines.length ? lines.join('\n') + '\n' : '';
  }

  public preSynthesize(): void {
    super.preSynthesize();
    // Refuse conflicting environments and rulesets before any file is written.
    this.planned();
    this.plannedRulesets();
  }

  private planned(): PlannedEnvironment[] {
    return planEnvironments(this.project.node.findAll().filter(Environment.isEnvironment));
  }

  private plannedRulesets(): PlannedRuleset[] {
    return planRulesets(this.project.node.findAll().filter(RepositoryRuleset.isRepositoryRuleset));
  }

  private splitRepository(repository?: string): [string, string] {
    if (repository === undefined) return [OWNER, REPO];
    if (!REPOSITORY.test(repository)) {
      throw new Error(`EnvironmentsConfig: repository must be "owner/name", got "${repository}".`);
    }
    const [owner, repo] = repository.split('/');
    return [owner, repo];
  }
}

// Environments and rulesets (lower layers) announce their project; this creates its configuration.
registerEnvironmentsWriter((project) => {
  EnvironmentsConfig.of(project);
});
