import { github, Project, typescript } from 'projen';
// In your own project: import { ... } from 'projen-pypi-pipelines';
import { Distributions, PypiPublishPipeline, PythonReleasePipeline, PythonToolchain, QualityCheck } from '../../src';

/**
 * A command-line tool written in Rust (src/main.rs, written by hand) and shipped on PyPI by
 * maturin (`bindings = "bin"`): one `py3-none` wheel per platform, each built natively on its
 * runner by maturin-action, and the sdist.
 */
export function createProject(outdir: string): Project {
  const project = new Project({ name: 'hello-rs', outdir });
  new typescript.ProjenrcTs(project);
  new github.GitHub(project, { mergify: false, pullRequestLint: false });
  project.gitignore.exclude('/target/', '/dist/', '/wheelhouse/');

  // Linux x86_64 and aarch64 (manylinux), macOS x86_64 and arm64, Windows x86_64: 5 wheels
  const distributions = Distributions.maturin();

  // .github/workflows/release.yml: validate, checks, prepare (version once), 5 wheels + sdist, gather, attest, release
  new PythonReleasePipeline(project, {
    distributionName: 'hello-rs',
    toolchain: PythonToolchain.pip({ skip: [QualityCheck.TYPE_CHECK] }),
    distributions,
  });

  // .github/workflows/publish.yml: verifies the full set, TestPyPI, installs the Linux x86_64 wheel and runs the binary, PyPI
  new PypiPublishPipeline(project, {
    distributionName: 'hello-rs',
    importName: 'hello_rs',
    smokeCommand: 'hello-rs PyPI | grep -qx "Hello, PyPI!"',
    distributions,
  });

  return project;
}

if (require.main === module) {
  createProject(__dirname).synth();
}
