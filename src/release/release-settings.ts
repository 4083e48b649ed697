import { join, posix } from 'path';
import { Project } from 'projen';
import { readPyproject } from './pyproject';

const TAG_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const DIST_NAME = /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/;
/** A git branch name (no leading or trailing "/", no "//", ".." or ".lock" suffix). */
const BRANCH_NAME = /^(?!\/|.*\/\/|.*\.\.|.*\/$|.*\.lock$)[A-Za-z0-9._/-]+$/;
const PACKAGE_DIR = /^(\.|(?!\/)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]*[A-Za-z0-9._-])$/;

/** The settings both pipelines share: derived from options once, validated once. */
export interface ReleaseSettings {
  /** The distribution name on PyPI. */
  readonly distributionName: string;
  /** The package directory, `.` for the repository root. */
  readonly packageDir: string;
  /** The release tag prefix: tag = prefix + version. */
  readonly tagPrefix: string;
  /** Whether the package lives in a subdirectory. */
  readonly monorepo: boolean;
}

/** Derives and checks distribution name, package directory and tag prefix. */
export function releaseSettings(
  who: string,
  project: Project,
  options: { distributionName?: string; packageDir?: string; tagPrefix?: string },
): ReleaseSettings {
  const packageDir = (options.packageDir ?? '.').replace(/^\.\/+/, '').replace(/\/+$/, '') || '.';
  if (!PACKAGE_DIR.test(packageDir)) {
    throw new Error(`${who}: packageDir "${options.packageDir}" must be a relative path inside the repository, like "packages/mypkg".`);
  }
  const monorepo = packageDir !== '.';
  const distributionName = options.distributionName
    ?? readPyproject(join(project.outdir, packageDir, 'pyproject.toml'))?.name
    ?? (monorepo ? posix.basename(packageDir) : project.name);
  if (!DIST_NAME.test(distributionName)) {
    throw new Error(`${who}: distributionName "${distributionName}" is not a valid Python distribution name (letters, digits, ".", "_", "-"). Set distributionName to the name on PyPI.`);
  }
  if (options.tagPrefix?.startsWith('refs/')) {
    throw new Error(`${who}: tagPrefix "${options.tagPrefix}" is written as a ref; give the start of the tag name only, e.g. "${options.tagPrefix.replace(/^refs\/(tags\/)?/, '') || 'v'}".`);
  }
  const tagPrefix = options.tagPrefix ?? (monorepo ? `${distributionName}-v` : 'v');
  if (!TAG_PREFIX.test(tagPrefix)) {
    throw new Error(`${who}: tagPrefix "${tagPrefix}" must be non-empty and made of letters, digits, ".", "_", "/" or "-" (e.g. "v" or "mypkg-v"): a bare version tag cannot be told apart from other tags.`);
  }
  return { distributionName, packageDir, tagPrefix, monorepo };
}

/**
 * The `releaseBranch` option of either pipeline (default "main"), checked: a branch name, not a
 * ref. `hint` ends the invalid-name error (the publish pipeline points to the release pipeline's).
 */
export function checkReleaseBranch(who: string, branch: string = 'main', hint: string = ''): string {
  if (branch.startsWith('refs/')) {
    throw new Error(`${who}: releaseBranch "${branch}" is written as a ref; give the branch name only, e.g. "${branch.replace(/^refs\/(heads\/)?/, '')}".`);
  }
  if (!BRANCH_NAME.test(branch)) {
    throw new Error(`${who}: releaseBranch "${branch}" is not a valid branch name${hint}.`);
  }
  return branch;
}
