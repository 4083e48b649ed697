import * as fs from 'fs';
import * as path from 'path';
import { Project } from 'projen';

const TAG_PREFIX = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const DIST_NAME = /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/;
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
    ?? pyprojectName(path.join(project.outdir, packageDir, 'pyproject.toml'))
    ?? (monorepo ? path.posix.basename(packageDir) : project.name);
  if (!DIST_NAME.test(distributionName)) {
    throw new Error(`${who}: distributionName "${distributionName}" is not a valid Python distribution name (letters, digits, ".", "_", "-"). Set distributionName to the name on PyPI.`);
  }
  const tagPrefix = options.tagPrefix ?? (monorepo ? `${distributionName}-v` : 'v');
  if (!TAG_PREFIX.test(tagPrefix)) {
    throw new Error(`${who}: tagPrefix "${tagPrefix}" must be non-empty and made of letters, digits, ".", "_", "/" or "-" (e.g. "v" or "mypkg-v"): a bare version tag cannot be told apart from other tags.`);
  }
  return { distributionName, packageDir, tagPrefix, monorepo };
}

/** `[project].name` of a pyproject.toml, if the file exists and has a plain one. */
function pyprojectName(file: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  let table = '';
  for (const line of fs.readFileSync(file, 'utf-8').split(/\r?\n/)) {
    const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
    if (header) {
      table = header[1];
      continue;
    }
    const name = table === 'project' ? /^\s*name\s*=\s*(["'])([^"']+)\1\s*(#.*)?$/.exec(line) : null;
    if (name) return name[2];
  }
  return undefined;
}
