import { github, Project, typescript } from 'projen';
import { acmePythonPackage } from './acme-preset';

/** A team's project at Acme: one call gives it Acme's release system. */
export function createProject(outdir: string): Project {
  const project = new Project({ name: 'acme-widgets', outdir });
  new typescript.ProjenrcTs(project);
  new github.GitHub(project, { mergify: false, pullRequestLint: false });
  acmePythonPackage(project, { distributionName: 'acme-widgets', importName: 'acme_widgets' });
  return project;
}

if (require.main === module) {
  createProject(__dirname).synth();
}
