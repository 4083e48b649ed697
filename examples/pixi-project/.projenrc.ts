import * as path from 'path';
import { github, Project, typescript } from 'projen';
// In your own project: import { ... } from 'projen-pypi-pipelines';
import { PythonReleasePipeline } from '../../src';

/**
 * The example's projen project: a Python package (pyproject.toml + pixi.toml, written by hand)
 * whose release system is generated here.
 */
export function createProject(outdir: string): Project {
  const project = new Project({ name: 'example-greeter', outdir });
  new typescript.ProjenrcTs(project);
  new github.GitHub(project, { mergify: false, pullRequestLint: false });

  new PythonReleasePipeline(project, {
    distributionName: 'example-greeter',
  });

  return project;
}

if (require.main === module) {
  const project = createProject(__dirname);
  project.synth();
  const generated = project.files.map((f) => path.join(path.relative(process.cwd(), project.outdir), f.path)).sort();
  console.log(`\nSynthesized the example project in ${path.relative(process.cwd(), project.outdir) || '.'}:`);
  for (const file of generated) console.log(`  ${file}`);
}
