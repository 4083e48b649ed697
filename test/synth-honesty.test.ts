import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';
import {
  AttestationCheck, DeploymentPolicy, Environment, PublishEnvironments, PypiPublishPipeline, PythonReleasePipeline,
  TestPypiPolicy, VersionStrategy,
} from '../src';
import { newProject, synthWorkflows } from './helpers/project';

/** Builds and synthesizes a project; returns what it warned. */
function synth(build: (p: Project) => void, prepare?: (outdir: string) => void): string[] {
  const project = newProject('acme-pkg');
  prepare?.(project.outdir);
  const warnings: string[] = [];
  const warn = project.logger.warn.bind(project.logger);
  project.logger.warn = (...text: any[]) => {
    warnings.push(text.join(' '));
    warn(...text);
  };
  build(project);
  synthWorkflows(project);
  return warnings;
}

/** What each of these would do on GitHub: fail at release time. Each fails at `npx projen` instead. */
describe('what would fail on GitHub fails at synth, naming the option and the fix', () => {
  test.each<[string, (p: Project) => void, RegExp]>([
    ['a shared pypi environment whose tag policy (v*) refuses the monorepo tags (pkg-v*)', (p) => {
      const pypi = new Environment(p, 'pypi', {});
      new PypiPublishPipeline(p, { packageDir: 'packages/pkg', environments: PublishEnvironments.shared({ pypi }) });
    }, /the environment "pypi" would refuse every publication: its tag patterns \("v\*"\) do not match the tag pkg-v1\.2\.3\. Give it DeploymentPolicy\.releaseTags\("pkg-v"\) \(option environments \(pypi\)\)/],
    ['a publishing environment for protected branches only', (p) => {
      const pypi = new Environment(p, 'pypi', { deploymentPolicy: DeploymentPolicy.protectedBranches() });
      new PypiPublishPipeline(p, { environments: PublishEnvironments.shared({ pypi }) });
    }, /would refuse every publication: it admits protected branches only, and a release runs on its tag/],
    ['a release tagPrefix that publish.yml does not match', (p) => {
      new PythonReleasePipeline(p, { tagPrefix: 'release-' });
      new PypiPublishPipeline(p);
    }, /PypiPublishPipeline \(publish\.yml\): tagPrefix is "v", but release\.yml tags its releases "release-<version>"/],
    ['release and publish on other branches', (p) => {
      new PythonReleasePipeline(p, { releaseBranch: 'trunk' });
      new PypiPublishPipeline(p);
    }, /releaseBranch is "main", but release\.yml releases from "trunk"/],
    ['required attestations that release.yml does not make', (p) => {
      new PythonReleasePipeline(p, { attestations: false });
      new PypiPublishPipeline(p);
    }, /attestations are required, but release\.yml makes none .*AttestationCheck\.off\(\)/],
    ['tagPrefix written as a ref', (p) => new PythonReleasePipeline(p, { tagPrefix: 'refs/tags/v' }), /tagPrefix "refs\/tags\/v" is written as a ref; give the start of the tag name only, e\.g\. "v"/],
    ['releaseBranch written as a ref (release)', (p) => new PythonReleasePipeline(p, { releaseBranch: 'refs/heads/main' }), /PythonReleasePipeline \(release\.yml\): releaseBranch "refs\/heads\/main" is written as a ref; give the branch name only, e\.g\. "main"/],
    ['releaseBranch written as a ref (publish)', (p) => new PypiPublishPipeline(p, { releaseBranch: 'refs/heads/main' }), /PypiPublishPipeline \(publish\.yml\): releaseBranch "refs\/heads\/main" is written as a ref/],
    ['smokeCommand without TestPyPI', (p) => new PypiPublishPipeline(p, { smokeCommand: 'acme --version', testPypi: TestPypiPolicy.skip() }), /smokeCommand is set, but testPypi is TestPypiPolicy\.skip\(\)/],
    ['two release pipelines without packageDir', (p) => {
      new PythonReleasePipeline(p);
      new PythonReleasePipeline(p, { fileName: 'release-2.yml', workflowName: 'Release 2', tagPrefix: 'x-v' });
    }, /already has a release pipeline for the package at the repository root\. For several packages in one repository, give each its own packageDir/],
    ['two publish pipelines without packageDir', (p) => {
      new PypiPublishPipeline(p);
      new PypiPublishPipeline(p, { fileName: 'publish-2.yml' });
    }, /already has a publish pipeline for the package at the repository root/],
    ['pythonVersions as a string (a JavaScript caller)', (p) => new PythonReleasePipeline(p, { pythonVersions: '3.12' as any }), /pythonVersions must be a list of versions such as \["3\.12", "3\.13"\], got "3\.12"/],
  ])('%s', (_what, build, message) => {
    expect(() => synth(build)).toThrow(message);
  });

  test('fromTag() with a static [project].version is refused; with a dynamic version it is accepted', () => {
    const pyproject = (version: string) => (dir: string) => fs.writeFileSync(path.join(dir, 'pyproject.toml'), `[project]\nname = "acme-pkg"\n${version}\n`);
    expect(() => synth((p) => new PythonReleasePipeline(p, { versionStrategy: VersionStrategy.fromTag() }), pyproject('version = "0.1.0"')))
      .toThrow(/versionStrategy is VersionStrategy\.fromTag\(\), but pyproject\.toml has a static version \("0\.1\.0"\)/);
    expect(() => synth((p) => new PythonReleasePipeline(p, { versionStrategy: VersionStrategy.fromTag() }), pyproject('dynamic = ["version"]'))).not.toThrow();
  });

  test('a packageDir without a pyproject.toml is named in a warning', () => {
    const warnings = synth((p) => new PythonReleasePipeline(p, { packageDir: 'packages/missing' }));
    expect(warnings.join('\n')).toContain('packageDir "packages/missing" has no pyproject.toml (packages/missing/pyproject.toml), so every job of the workflow would fail there.');
  });

  test('consistent pairs synthesize: attestations off on both sides, a shared environment with the right tags', () => {
    expect(() => synth((p) => {
      new PythonReleasePipeline(p, { attestations: false });
      new PypiPublishPipeline(p, { attestations: AttestationCheck.off() });
    })).not.toThrow();
    expect(() => synth((p) => {
      const pypi = new Environment(p, 'pypi', { deploymentPolicy: DeploymentPolicy.releaseTags('pkg-v') });
      new PythonReleasePipeline(p, { packageDir: 'packages/pkg' });
      new PypiPublishPipeline(p, { packageDir: 'packages/pkg', environments: PublishEnvironments.shared({ pypi }) });
    })).not.toThrow();
  });
});
