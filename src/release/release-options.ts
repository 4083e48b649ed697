import { Distributions } from './distributions';
import { ReleaseCredentials } from './release-credentials';
import { VersionScheme } from './version-scheme';
import { VersionStrategy } from './version-strategy';
import { RulesetBypass } from '../environments/ruleset-bypass';
import { ReleaseRehearsalOptions } from '../rehearsal/release-rehearsal';
import { PythonToolchain } from '../toolchains/python-toolchain';
import { Environment } from '../workflow/environment';

/** Versions of the tools the build job installs with pipx. */
export interface ReleaseToolVersions {
  /**
   * twine, for `twine check --strict` (>= 7.0 reads Metadata 2.5).
   * @default "7.0.0"
   */
  readonly twine?: string;
  /**
   * git-cliff, for the changelog.
   * @default "2.14.2"
   */
  readonly gitCliff?: string;
}

/** Changelog options. */
export interface ChangelogOptions {
  /**
   * The changelog file, relative to the package directory.
   * @default "CHANGELOG.md"
   */
  readonly file?: string;
  /**
   * A git-cliff config of your own, relative to the project root.
   * @default - `cliff.toml` in the package directory, generated for conventional commits unless you already have one there
   */
  readonly configFile?: string;
}

/** Options of `PythonReleasePipeline`. */
export interface PythonReleasePipelineOptions {
  /**
   * The local rehearsal task (`npx projen release:rehearse --version 1.2.0`) that runs this
   * workflow's release scripts in a throwaway clone: its task name and script path.
   * @default - task "release:rehearse" running ".projen/release-rehearsal.cjs" ("release:rehearse:<distributionName>" in a monorepo)
   */
  readonly rehearsal?: ReleaseRehearsalOptions;
  /**
   * How the project is set up, checked, tested and built.
   * @default PythonToolchain.pixi()
   */
  readonly toolchain?: PythonToolchain;
  /**
   * What the release builds: one pure wheel and the sdist, or for compiled packages a matrix of
   * wheels (`Distributions.cibuildwheel()`, `Distributions.maturin()`), set to one version before
   * the matrix and checked as a complete set before anything is released. Give the same to
   * `PypiPublishPipeline`.
   * @default Distributions.pure()
   */
  readonly distributions?: Distributions;
  /**
   * Which version strings are accepted.
   * @default VersionScheme.pep440()
   */
  readonly versionScheme?: VersionScheme;
  /**
   * Where the version lives.
   * @default VersionStrategy.pyproject()
   */
  readonly versionStrategy?: VersionStrategy;
  /**
   * The distribution name on PyPI (used by `VersionStrategy.fromTag()`, and in monorepos for the
   * tag prefix and the workflow's file name).
   * @default - `[project].name` of the package's pyproject.toml when it has one; otherwise the
   * projen project's name, or in a monorepo the last part of packageDir
   */
  readonly distributionName?: string;
  /**
   * Directory of the Python package inside the repository (monorepos): every command runs
   * there, the distributions are built there, and its CHANGELOG.md and cliff.toml live there.
   * @default "."
   */
  readonly packageDir?: string;
  /**
   * Prefix of the release tag: tag = prefix + version (`v1.2.0`, `mypkg-v1.2.0`). Two pipelines
   * of one project need distinct prefixes.
   * @default "v", or "<distributionName>-v" when packageDir is set
   */
  readonly tagPrefix?: string;
  /**
   * The branch releases are made from and pushed to.
   * @default "main"
   */
  readonly releaseBranch?: string;
  /**
   * The token that pushes and creates the release (not `GITHUB_TOKEN`, see `ReleaseCredentials`).
   * @default ReleaseCredentials.personalAccessToken("RELEASE_PAT")
   */
  readonly credentials?: ReleaseCredentials;
  /**
   * The deployment environment of the release job. Store the credentials' secrets there (not at
   * repository level): only runs the environment admits can read them.
   * @default - an environment "release" (in a monorepo "release-<distributionName>") that admits
   * the release branch only and expects the credentials' secrets
   */
  readonly environment?: Environment;
  /**
   * Changelog file and git-cliff config.
   * @default - CHANGELOG.md and a generated cliff.toml
   */
  readonly changelog?: ChangelogOptions;
  /**
   * The coverage report the test command writes, relative to the package directory; uploaded as
   * an artifact.
   * @default "coverage.xml"
   */
  readonly coverageReport?: string;
  /**
   * Python versions to run the tests on (a matrix, e.g. `["3.11", "3.12", "3.13"]`); the
   * coverage report is uploaded from the first. Not for pixi or custom toolchains.
   * @default - one test job, on the toolchain's Python
   */
  readonly pythonVersions?: string[];
  /**
   * The workflow's name.
   * @default "Release", or "Release <distributionName>" when packageDir is set
   */
  readonly workflowName?: string;
  /**
   * The workflow file under .github/workflows/.
   * @default "release.yml", or "release-<distributionName>.yml" when packageDir is set
   */
  readonly fileName?: string;
  /**
   * Runner labels for every job.
   * @default ["ubuntu-24.04"]
   */
  readonly runsOn?: string[];
  /**
   * Author of the release commit.
   * @default github-actions[bot]
   */
  readonly gitIdentity?: GitIdentity;
  /**
   * Versions of twine and git-cliff.
   * @default - twine 7.0.0, git-cliff 2.14.2
   */
  readonly releaseTools?: ReleaseToolVersions;
  /**
   * Attest the wheel, sdist and SHA256SUMS with GitHub artifact attestations (SLSA build
   * provenance), in a job of its own that runs no project code; publish.yml checks them before
   * uploading. Turn off only for a private repository whose plan has no artifact attestations
   * (they need GitHub Enterprise Cloud there), and turn off publish.yml's check with it.
   * @default true
   */
  readonly attestations?: boolean;
  /**
   * Files, besides pyproject.toml, the changelog and the lock files, in which the set-version step
   * writes the version (e.g. hatch's `src/mypkg/__about__.py`), relative to the package directory.
   * The release job refuses a release commit that changes any other file, or more than the version
   * lines of these.
   * @default - none
   */
  readonly versionFiles?: string[];
  /**
   * Who releases: the owner of the release token (`RulesetBypass.user('acme-release-bot')`) or
   * the release App (`RulesetBypass.githubApp('acme-release')`). Given it, the pipeline adds a
   * repository ruleset (applied by `npx projen github:environments`) under which only that
   * identity creates, moves or deletes this package's release tags, so nobody else can start
   * publish.yml by pushing a tag.
   * @default - no ruleset (protect the tags by hand)
   */
  readonly releaseIdentity?: RulesetBypass;
  /**
   * With `releaseIdentity`: also protect the release branch with a ruleset (pull requests for
   * everyone, no force push, no deletion) whose only bypass actor is the release identity, so the
   * release's atomic push passes without opening the branch to everyone.
   * @default false
   */
  readonly protectReleaseBranch?: boolean;
}

/** Name and email of a git author. */
export interface GitIdentity {
  /** Name. */
  readonly name: string;
  /** Email. */
  readonly email: string;
}
