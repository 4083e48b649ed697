import { github, Project, typescript } from 'projen';
// In your own project: import { ... } from 'projen-pypi-pipelines';
import { Distributions, PypiPublishPipeline, PythonReleasePipeline, PythonToolchain } from '../../src';

/**
 * A Python package with a C extension (setuptools, src/fast_greeter/_speedups.c, written by hand),
 * released as one wheel per platform and CPython, built by cibuildwheel on runners of each
 * architecture, and the sdist.
 */
export function createProject(outdir: string): Project {
  const project = new Project({ name: 'fast-greeter', outdir });
  new typescript.ProjenrcTs(project);
  new github.GitHub(project, { mergify: false, pullRequestLint: false });
  project.gitignore.exclude('/build/', '/dist/', '/wheelhouse/', '*.so', '*.pyd', '*.egg-info/');

  // Linux x86_64 and aarch64 (manylinux), macOS x86_64 and arm64, Windows AMD64; CPython 3.11-3.14
  const distributions = Distributions.cibuildwheel({
    pythons: ['3.11', '3.12', '3.13', '3.14'],
    environment: { CIBW_TEST_COMMAND: 'python -c "import fast_greeter; assert fast_greeter.add(2, 3) == 5"' },
  });

  // .github/workflows/release.yml: validate, checks, prepare (version once), 20 wheels + sdist, gather, attest, release
  new PythonReleasePipeline(project, {
    distributionName: 'fast-greeter',
    toolchain: PythonToolchain.pip(),
    distributions,
  });

  // .github/workflows/publish.yml: verifies the full set, TestPyPI, installs the Linux x86_64 / 3.12 wheel, PyPI
  new PypiPublishPipeline(project, {
    distributionName: 'fast-greeter',
    importName: 'fast_greeter',
    distributions,
  });

  return project;
}

if (require.main === module) {
  createProject(__dirname).synth();
}
