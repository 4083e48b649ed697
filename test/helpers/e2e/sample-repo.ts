import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { networkEnv, tool, TOOLS_PYTHON, UV_CACHE } from '../tools';

/** Environment for git in tests: no user or system config, a fixed identity. */
export function gitEnv(home: string): Record<string, string> {
  return {
    HOME: home,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Sam Maintainer',
    GIT_AUTHOR_EMAIL: 'sam@example.com',
    GIT_COMMITTER_NAME: 'Sam Maintainer',
    GIT_COMMITTER_EMAIL: 'sam@example.com',
    LANG: 'C.UTF-8',
  };
}

/** Runs git in `cwd` with extra environment; throws with its output when it fails. */
export function runGit(cwd: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf-8', env: { PATH: process.env.PATH, ...gitEnv(os.tmpdir()), ...env } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} (in ${cwd}) failed:\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

/** Runs git in `cwd`; throws with its output when it fails. */
export function git(cwd: string, ...args: string[]): string {
  return runGit(cwd, args);
}

/** Where the package's version comes from. */
export type VersionSource = 'static' | 'vcs';

/** What the sample package looks like. */
export interface SampleOptions {
  /** `static`: `[project].version` in pyproject.toml; `vcs`: hatch-vcs from the tag. */
  readonly versionSource: VersionSource;
  /** Files committed with the first commit (e.g. the generated cliff.toml), paths from the root. */
  readonly extraFiles?: Record<string, string>;
  /**
   * Where the package lives; when not `.`, a sibling package `packages/other-pkg` gets commits
   * of its own in between (a monorepo).
   * @default "."
   */
  readonly packageDir?: string;
  /** @default "v" */
  readonly tagPrefix?: string;
  /**
   * Lock the package with the real uv (`uv lock`) and commit uv.lock, as a uv project does.
   * @default true for a static version
   */
  readonly uvLock?: boolean;
  /**
   * Commit a CHANGELOG.md with the earlier release (false: a project's first release with this
   * pipeline, which has no changelog yet).
   * @default true
   */
  readonly changelog?: boolean;
}

/** Runs the tools environment's uv in `cwd`; throws with its output when it fails. */
export function runUv(cwd: string, args: string[]): string {
  const r = spawnSync(tool('uv'), args, {
    cwd,
    encoding: 'utf-8',
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), UV_PYTHON: TOOLS_PYTHON, UV_PYTHON_DOWNLOADS: 'never', UV_CACHE_DIR: UV_CACHE, PIP_CONFIG_FILE: '/dev/null', ...networkEnv() },
  });
  if (r.status !== 0) throw new Error(`uv ${args.join(' ')} (in ${cwd}) failed:\n${r.stdout}${r.stderr}`);
  return r.stdout.trim();
}

/** The version released before the tests' release. */
export const EARLIER_VERSION = '1.1.0';

const CHANGELOG_1_1_0 = `# Changelog

All notable changes to this project are documented in this file.
The format follows [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).

## [1.1.0] - 2026-01-15

### Added

- Greet people by name
`;

function pyproject(source: VersionSource, version: string): string {
  return `[build-system]
requires = ["hatchling"${source === 'vcs' ? ', "hatch-vcs"' : ''}]
build-backend = "hatchling.build"

[project]
name = "sample-pkg"
${source === 'static' ? `version = "${version}"  # set by the release workflow` : 'dynamic = ["version"]'}
description = "A sample package for the release tests"
readme = "README.md"
requires-python = ">=3.9"
license = { text = "MIT" }

[tool.hatch.build.targets.wheel]
packages = ["src/sample_pkg"]
${source === 'vcs' ? '\n[tool.hatch.version]\nsource = "vcs"\n' : ''}`;
}

/**
 * A sample Python package (hatchling, `src/` layout) in a bare repository playing GitHub, with a
 * history of conventional commits: an earlier release `v1.1.0` (tagged release commit with its
 * CHANGELOG.md section), then a feature, a fix, a docs change and a chore. Made once per test
 * file and copied per test.
 */
export class SampleRepo {
  /** Creates the template under `dir`. */
  public static create(dir: string, options: SampleOptions): SampleRepo {
    fs.mkdirSync(dir, { recursive: true });
    const origin = path.join(dir, 'origin.git');
    const seed = path.join(dir, 'seed');
    git(dir, 'init', '--quiet', '--bare', '--initial-branch=main', origin);
    git(dir, 'clone', '--quiet', origin, seed);
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(seed, file)), { recursive: true });
      fs.writeFileSync(path.join(seed, file), text);
    };
    const commit = (message: string, date: string) => {
      git(seed, 'add', '--all');
      runGit(seed, ['commit', '--quiet', '--message', message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    };
    git(seed, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    const dirOf = options.packageDir ?? '.';
    const pkg = (file: string) => (dirOf === '.' ? file : `${dirOf}/${file}`);
    const prefix = options.tagPrefix ?? 'v';
    const monorepo = dirOf !== '.';
    const uvLock = options.uvLock ?? options.versionSource === 'static';
    const lock = () => { if (uvLock) runUv(path.join(seed, dirOf), ['lock', '--quiet']); };
    write(pkg('pyproject.toml'), pyproject(options.versionSource, '1.0.0'));
    write(pkg('README.md'), '# sample-pkg\n\nGreets people.\n');
    write('.gitignore', 'dist/\n__pycache__/\n');
    write(pkg('src/sample_pkg/__init__.py'), '"""A sample package."""\n\n\ndef greet(name):\n    return f"Hello, {name}!"\n');
    if (monorepo) write('packages/other-pkg/README.md', '# other-pkg\n');
    for (const [file, text] of Object.entries(options.extraFiles ?? {})) write(file, text);
    lock();
    commit('feat: greet people by name', '2026-01-10T10:00:00Z');
    if (options.versionSource === 'static') write(pkg('pyproject.toml'), pyproject('static', EARLIER_VERSION));
    lock();
    if (options.changelog !== false) write(pkg('CHANGELOG.md'), CHANGELOG_1_1_0);
    commit(`chore(release): ${prefix}${EARLIER_VERSION}`, '2026-01-15T10:00:00Z');
    git(seed, 'tag', '--annotate', `${prefix}${EARLIER_VERSION}`, '--message', `Release ${prefix}${EARLIER_VERSION}`);
    write(pkg('src/sample_pkg/__init__.py'), '"""A sample package."""\n\n\ndef greet(name):\n    return f"Hello, {name}!"\n\n\ndef farewell(name):\n    return f"Goodbye, {name}!"\n');
    commit('feat: add a farewell function', '2026-02-01T10:00:00Z');
    if (monorepo) {
      write('packages/other-pkg/README.md', '# other-pkg\n\nAnother package.\n');
      commit('feat: describe the other package', '2026-02-01T12:00:00Z');
      git(seed, 'tag', '--annotate', 'other-pkg-v0.3.0', '--message', 'Release other-pkg-v0.3.0');
    }
    write(pkg('src/sample_pkg/__init__.py'), '"""A sample package."""\n\n\ndef greet(name):\n    return f"Hello, {name.strip()}!"\n\n\ndef farewell(name):\n    return f"Goodbye, {name.strip()}!"\n');
    commit('fix: strip whitespace from names', '2026-02-02T10:00:00Z');
    write(pkg('README.md'), '# sample-pkg\n\nGreets people: `greet("Ada")`, `farewell("Ada")`.\n');
    commit('docs: show both functions in the README', '2026-02-03T10:00:00Z');
    write('.gitignore', 'dist/\n__pycache__/\n.venv/\n');
    commit('chore: ignore .venv', '2026-02-04T10:00:00Z');
    git(seed, 'push', '--quiet', '--follow-tags', 'origin', 'main');
    return new SampleRepo(dir);
  }

  private constructor(public readonly dir: string) {}

  /** A fresh copy of the bare origin under `dir`. */
  public copy(dir: string): SampleCopy {
    fs.mkdirSync(dir, { recursive: true });
    const origin = path.join(dir, 'origin.git');
    fs.cpSync(path.join(this.dir, 'origin.git'), origin, { recursive: true });
    return new SampleCopy(dir, origin);
  }
}

/** One test's repository: the bare origin and clones of it. */
export class SampleCopy {
  public constructor(public readonly dir: string, public readonly origin: string) {}

  /** A full clone of origin's main, as `actions/checkout` with `fetch-depth: 0` leaves it. */
  public clone(name: string): string {
    const target = path.join(this.dir, name);
    git(this.dir, 'clone', '--quiet', '--no-local', '--branch', 'main', this.origin, target);
    return target;
  }

  /** A shallow clone of origin's main, as `actions/checkout` with `fetch-depth: 1` leaves it. */
  public shallowClone(name: string): string {
    const target = path.join(this.dir, name);
    git(this.dir, 'clone', '--quiet', '--depth', '1', '--branch', 'main', `file://${this.origin}`, target);
    return target;
  }

  /** The commit a ref of origin points at (a tag is peeled), or undefined. */
  public commitOf(ref: string): string | undefined {
    const r = spawnSync('git', ['--git-dir', this.origin, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { encoding: 'utf-8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
  }

  /** A file's text at a ref of origin. */
  public show(ref: string, file: string): string {
    return git(this.origin, 'show', `${ref}:${file}`);
  }

  /** Tags origin's main (lightweight). */
  public tagMain(tag: string): void {
    git(this.origin, 'tag', tag, 'refs/heads/main');
  }

  /** Origin's tags. */
  public tags(): string[] {
    return git(this.origin, 'tag', '--list').split('\n').filter(Boolean);
  }

  /** Pushes a commit to origin's main from another clone (someone merged meanwhile). */
  public moveMain(message = 'fix: a change merged while the release ran'): string {
    const other = this.clone(`other-${Date.now()}`);
    fs.appendFileSync(path.join(other, 'README.md'), '\nMore.\n');
    git(other, 'commit', '--quiet', '--all', '--message', message);
    git(other, 'push', '--quiet', 'origin', 'main');
    return git(other, 'rev-parse', 'HEAD');
  }
}
