import { github, IResolver, JsonPatch, ObjectFile, YamlFile } from 'projen';
import { ProjectMarker } from './file-marker';
import { renderWorkflow, WorkflowSource } from './workflow-render';
import { WorkflowAnnotations, workflowYaml } from './workflow-yaml';

/**
 * `ObjectFile`'s rendering of a file: its object resolved, with `addOverride()` and `patch()`
 * applied, as JSON (what `YamlFile` turns into YAML). Called on our own `YamlFile` subclass.
 */
const objectFileContent = (ObjectFile.prototype as unknown as {
  synthesizeContent(this: ObjectFile, resolver: IResolver): string | undefined;
}).synthesizeContent;

/**
 * A workflow's file: a projen `YamlFile` (projen's marker, read-only, committed, `addOverride` and
 * `patch`) whose YAML is built once as a document that carries its comments. Without overrides or
 * patches, the workflow's own rendering (resolved) is the document; with them, `ObjectFile`'s.
 */
class WorkflowYamlFile extends YamlFile {
  private readonly workflow: PipelineGithubWorkflow;
  private readonly annotations: () => WorkflowAnnotations;
  private readonly current: { resolver?: IResolver };
  /** Whether `addOverride`, `addDeletionOverride`, `addToArray` or `patch` was called. */
  private overridden = false;

  public constructor(workflow: PipelineGithubWorkflow, filePath: string, annotations: () => WorkflowAnnotations) {
    const current: { resolver?: IResolver } = {};
    super(workflow.project, filePath, {
      obj: () => renderWorkflow(workflow.source(), current.resolver!),
      committed: true, // GitHub reads it from the repository
    });
    this.workflow = workflow;
    this.current = current;
    this.annotations = annotations;
  }

  /** projen's marker, asked for once per project and synthesis (see `ProjectMarker`). */
  public get marker(): string | undefined {
    return ProjectMarker.of(this, () => super.marker);
  }

  public addOverride(path: string, value: any): void {
    this.overridden = true;
    super.addOverride(path, value);
  }

  public addToArray(path: string, ...values: any[]): void {
    this.overridden = true;
    super.addToArray(path, ...values);
  }

  public patch(...patches: JsonPatch[]): void {
    this.overridden = true;
    super.patch(...patches);
  }

  public preSynthesize(): void {
    super.preSynthesize();
    ProjectMarker.forget(this.project);
  }

  protected synthesizeContent(resolver: IResolver): string | undefined {
    let workflow: { [key: string]: unknown };
    if (this.overridden) {
      this.current.resolver = resolver;
      const json = objectFileContent.call(this, resolver);
      if (!json) return undefined;
      workflow = JSON.parse(json);
    } else {
      workflow = renderWorkflow(this.workflow.source(), resolver);
    }
    const marker = this.marker;
    return [...(marker ? [`# ${marker}`] : []), '', workflowYaml(workflow, this.annotations())].join('\n');
  }
}

/**
 * projen's `GithubWorkflow` (its jobs, triggers, concurrency and `project.github.actions`), written
 * to `.github/workflows/` by a `WorkflowYamlFile` in place of projen's own `YamlFile`: same path,
 * marker, read-only flag and escape hatches (`workflow.file.addOverride`), one YAML rendering.
 */
export class PipelineGithubWorkflow extends github.GithubWorkflow {
  declare public readonly file: YamlFile | undefined;
  private triggers: github.workflows.Triggers = {};
  private readonly actionsProvider: github.GitHubActionsProvider;

  public constructor(gh: github.GitHub, name: string, options: github.GithubWorkflowOptions, annotations: () => WorkflowAnnotations) {
    super(gh, name, options);
    this.actionsProvider = gh.actions;
    const projenFile = this.file;
    if (projenFile) {
      projenFile.node.scope?.node.tryRemoveChild(projenFile.node.id);
      this.file = new WorkflowYamlFile(this, projenFile.path, annotations);
    }
  }

  public on(events: github.workflows.Triggers): void {
    super.on(events);
    this.triggers = { ...this.triggers, ...events };
  }

  /** What the file renders. */
  public source(): WorkflowSource {
    return {
      name: this.name,
      runName: this.runName,
      triggers: this.triggers,
      concurrency: this.concurrency,
      env: this.env,
      jobs: this.jobs,
      actions: this.actionsProvider,
    };
  }
}
