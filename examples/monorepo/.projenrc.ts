import * as path from 'path';
import { github, Project, typescript } from 'projen';
// In your own project: import { ... } from 'projen-pypi-pipelines';
import { PypiPublishPipeline, PythonReleasePipeline, PythonToolchain } from '../../src';

/** The two Python packages of this repository, each released and published on its own. */
const PACKAGES = [
  // the tests of acme-alpha run on every supported Python; coverage comes from the first
  { distributionName: 'acme-alpha', packageDir: 'packages/alpha', pythonVersions: ['3.10', '3.11', '3.12', '3.13'] },
  { distributionName: 'acme-beta', packageDir: 'packages/beta' },
];

/**
 * A monorepo with two Python packages (packages/alpha and packages/beta, written by hand). Each
 * gets its own pair of workflows, release-<name>.yml and publish-<name>.yml, whose jobs run in
 * the package's directory, with its own tags (`acme-alpha-v1.2.0`), changelog and git-cliff
 * config inside the package directory, and its own concurrency groups.
 */
export function createProject(outdir: string): Project {
  const project = new Project({ name: 'acme-monorepo', outdir });
  new typescript.ProjenrcTs(project);
  new github.GitHub(project, { mergify: false, pullRequestLint: false });

  for (const pkg of PACKAGES) {
    new PythonReleasePipeline(project, { ...pkg, toolchain: PythonToolchain.pip() });
    new PypiPublishPipeline(project, { distributionName: pkg.distributionName, packageDir: pkg.packageDir });
  }

  return project;
}

if (require.main === module) {
  const project = createProject(__dirname);
  project.synth();
  const generated = project.files.map((f) => path.join(path.relative(process.cwd(), project.outdir), f.path)).sort();
  console.log(`\nSynthesized the example project in ${path.relative(process.cwd(), project.outdir) || '.'}:`);
  for (const file of generated) console.log(`  ${file}`);
}
