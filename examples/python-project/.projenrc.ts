import { python } from 'projen';
// In your own project: import { ... } from 'projen-pypi-pipelines';
import { PypiPublishPipeline, PythonReleasePipeline } from '../../src';

/**
 * A projen-managed Python package (`python.PythonProject`, uv flavour): projen writes its
 * pyproject.toml, and the pipelines follow it. They pick `PythonToolchain.uv()`, give the version
 * to the build only (`VersionStrategy.buildOnly()`: projen owns pyproject.toml, whose version stays
 * the one below), and remove projen's token-based `publish` and `publish:test` tasks.
 */
export function createProject(outdir: string): python.PythonProject {
  const project = new python.PythonProject({
    name: 'acme-greeter',
    moduleName: 'acme_greeter',
    authorName: 'Acme Maintainers',
    authorEmail: 'maintainers@example.com',
    version: '0.1.0',
    description: 'A projen-managed Python package released with projen-pypi-pipelines',
    outdir,
    projenrcTs: true,
    uv: true,
    pip: false,
    venv: false,
    setuptools: false,
    uvOptions: { project: { name: 'acme-greeter', requiresPython: '>=3.10' } },
    // what the check jobs run: ruff, mypy, bandit and pytest with coverage
    devDeps: ['ruff@0.17.6', 'mypy@2.4.1', 'bandit@1.9.4', 'pytest@9.2.0', 'pytest-cov@7.1.0'],
    // projen's pull-request-lint.yml runs on pull_request_target: see the README's Security section
    githubOptions: { mergify: false, pullRequestLint: false },
  });

  new PythonReleasePipeline(project);
  new PypiPublishPipeline(project, { importName: 'acme_greeter' });
  return project;
}

if (require.main === module) {
  createProject(__dirname).synth();
}
