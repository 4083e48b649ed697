import { github, Project, typescript } from 'projen';
// In your own project: import { ... } from 'projen-pypi-pipelines';
import { PypiPublishPipeline, PythonReleasePipeline } from '../../src';

/**
 * The example's projen project: a Python package (pyproject.toml + pixi.toml, written by hand)
 * whose release system is generated here.
 */
export function createProject(outdir: string): Project {
  const project = new Project({ name: 'example-greeter', outdir });
  new typescript.ProjenrcTs(project);
  new github.GitHub(project, { mergify: false, pullRequestLint: false });

  // .github/workflows/release.yml: run by hand with a version
  new PythonReleasePipeline(project, {
    distributionName: 'example-greeter',
  });

  // .github/workflows/publish.yml and the `pypi` environment: run when the release is published
  new PypiPublishPipeline(project, {
    distributionName: 'example-greeter',
    importName: 'example_greeter',
  });

  return project;
}

if (require.main === module) {
  createProject(__dirname).synth();
}
