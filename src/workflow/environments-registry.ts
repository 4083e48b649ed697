import { IConstruct } from 'constructs';
import { Project } from 'projen';

/**
 * How `Environment` (this layer) and repository rulesets reach the component that writes them to
 * files (`EnvironmentsConfig`, the environments layer) without importing it: that component
 * registers itself here when its module is loaded, and each such construct announces its project.
 * Internal to the package (not exported from its index).
 */
export type EnvironmentsWriter = (project: Project) => void;

let writer: EnvironmentsWriter | undefined;

/** Called once, by the environments layer, with what to do for each project that has environments. */
export function registerEnvironmentsWriter(w: EnvironmentsWriter): void {
  writer = w;
}

/** Tells the registered writer that `scope`'s project has an environment or a ruleset. */
export function announceEnvironmentsOf(scope: IConstruct): void {
  const project = scope.node.scopes.find(Project.isProject) as Project | undefined;
  if (project && writer) writer(project);
}
