import * as fs from 'fs';
import * as path from 'path';

/** A release the stand-in knows about. */
export interface FakeRelease {
  tag: string;
  title: string;
  notes: string;
  prerelease: boolean;
  draft: boolean;
  immutable: boolean;
  /** Asset file name → path of the stored copy. */
  assets: Record<string, string>;
}

/** One `gh` invocation, as recorded. */
export interface GhCall {
  args: string[];
  /** GH_REPO as the call saw it. */
  repo: string | undefined;
  /** The token it was given (GH_TOKEN or GITHUB_TOKEN). */
  token: string | undefined;
  exitCode: number;
}

/** A release `FakeGitHub.addRelease` makes. */
export interface AddReleaseOptions {
  /** Asset file name → content. */
  readonly assets?: Record<string, string | Buffer>;
  readonly prerelease?: boolean;
  readonly immutable?: boolean;
  readonly notes?: string;
}

interface State {
  repository: string;
  origin: string;
  assetsDir: string;
  releases: Record<string, FakeRelease>;
  calls: GhCall[];
  /** When set, every `gh api` call fails with this HTTP status and message, as GitHub's refusals do. */
  apiFailure?: { status: number; message: string };
}

/**
 * The `gh` stand-in: GitHub for one repository whose git side is a bare repository (`origin`).
 * It answers the calls our scripts make (`release view/create/delete/download`, `api` on tag refs
 * and releases) from a small JSON state, consistently with the bare origin, and records every call.
 * Self-contained: written into the stand-in's file with `toString()`.
 */
function fakeGhMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const fs_: typeof import('fs') = require('fs');
  const path_: typeof import('path') = require('path');
  const cp: typeof import('child_process') = require('child_process');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const statePath = process.env.FAKE_GH_STATE!;
  const state: State = JSON.parse(fs_.readFileSync(statePath, 'utf-8'));
  const args = process.argv.slice(2);
  const call: GhCall = { args, repo: process.env.GH_REPO, token: process.env.GH_TOKEN || process.env.GITHUB_TOKEN, exitCode: 0 };
  const save = () => fs_.writeFileSync(statePath, JSON.stringify(state, null, 2));
  const finish = (code: number, stdout = '', stderr = ''): never => {
    call.exitCode = code;
    state.calls.push(call);
    save();
    if (stdout) process.stdout.write(stdout.endsWith('\n') ? stdout : stdout + '\n');
    if (stderr) process.stderr.write(stderr.endsWith('\n') ? stderr : stderr + '\n');
    process.exit(code);
  };
  const git = (...a: string[]) => cp.spawnSync('git', ['--git-dir', state.origin, ...a], { encoding: 'utf-8' });
  const tagSha = (tag: string): string | undefined => {
    const r = git('rev-parse', '--verify', '--quiet', `refs/tags/${tag}`);
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  const deleteTag = (tag: string) => git('update-ref', '-d', `refs/tags/${tag}`);

  if (!call.token) {
    finish(4, '', 'gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable. Example:\n  env:\n    GH_TOKEN: ${{ github.token }}');
  }

  // options: --name value, --name=value, -x value; booleans listed here
  const BOOLEAN = new Set(['--verify-tag', '--prerelease', '--draft', '--cleanup-tag', '--yes', '-y', '--silent', '--clobber', '--generate-notes', '--latest']);
  const positional: string[] = [];
  const flags: Record<string, string[]> = {};
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-') && a !== '-') {
      const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      const value = BOOLEAN.has(name) ? inline ?? 'true' : inline ?? args[++i];
      (flags[name] = flags[name] ?? []).push(value);
    } else {
      positional.push(a);
    }
  }
  const flag = (...names: string[]) => names.map((n) => flags[n]?.[flags[n].length - 1]).find((v) => v !== undefined);
  const repo = flag('--repo', '-R') ?? process.env.GH_REPO;
  // --jq: a path (.a.b) or a string with \(.path) interpolations; strings print raw, as gh does
  const pick = (value: unknown, expr: string): unknown => {
    let v: any = value;
    for (const key of expr.slice(1).split('.')) v = v === undefined || v === null ? null : v[key];
    return v ?? null;
  };
  const raw = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const jq = (value: unknown): string => {
    const expr = flag('--jq', '-q');
    if (!expr) return JSON.stringify(value);
    if (/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(expr)) return raw(pick(value, expr));
    const template = /^"((?:[^"\\]|\\\((\.[A-Za-z_][A-Za-z0-9_.]*)\))*)"$/.exec(expr);
    if (!template) return finish(2, '', `fake gh: unsupported --jq ${expr}`);
    return template[1].replace(/\\\((\.[A-Za-z_][A-Za-z0-9_.]*)\)/g, (_, at: string) => raw(pick(value, at)));
  };

  if (args[0] === 'release') {
    const sub = args[1];
    positional.shift(); // the subcommand
    if (repo !== state.repository) finish(1, '', `GraphQL: Could not resolve to a Repository with the name '${repo}'. (repository)`);
    const tag = positional[0];
    const release = state.releases[tag];
    if (sub === 'view') {
      if (!release) finish(1, '', 'release not found');
      const fields: Record<string, unknown> = {
        tagName: release.tag,
        name: release.title,
        isPrerelease: release.prerelease,
        isDraft: release.draft,
        body: release.notes,
        assets: Object.keys(release.assets).map((name) => ({ name })),
      };
      const wanted = flag('--json');
      const picked = wanted ? Object.fromEntries(wanted.split(',').map((f) => [f, fields[f]])) : fields;
      finish(0, wanted ? jq(picked) : `title:\t${release.title}\ntag:\t${release.tag}`);
    }
    if (sub === 'delete') {
      if (!release) finish(1, '', 'release not found');
      if (!flag('--yes', '-y')) finish(1, '', '--yes required when not running interactively');
      if (release.immutable) finish(1, '', 'HTTP 422: Cannot delete an immutable release');
      delete state.releases[tag];
      if (flag('--cleanup-tag')) deleteTag(tag);
      finish(0);
    }
    if (sub === 'create') {
      if (release) finish(1, '', `a release with the same tag name already exists: ${tag}`);
      if (!tagSha(tag)) {
        if (flag('--verify-tag')) finish(1, '', `tag ${tag} doesn't exist in the repo ${repo}, aborting due to --verify-tag flag`);
        git('update-ref', `refs/tags/${tag}`, flag('--target') ?? 'refs/heads/main');
      }
      const notesFile = flag('--notes-file', '-F');
      if (notesFile && !fs_.existsSync(notesFile)) finish(1, '', `open ${notesFile}: no such file or directory`);
      const created: FakeRelease = {
        tag,
        title: flag('--title', '-t') ?? tag,
        notes: notesFile ? fs_.readFileSync(notesFile, 'utf-8') : flag('--notes', '-n') ?? '',
        prerelease: flag('--prerelease') === 'true',
        draft: flag('--draft') === 'true',
        immutable: false,
        assets: {},
      };
      const dir = path_.join(state.assetsDir, tag);
      fs_.mkdirSync(dir, { recursive: true });
      for (const file of positional.slice(1)) {
        const local = file.split('#')[0];
        if (!fs_.existsSync(local) || !fs_.statSync(local).isFile()) finish(1, '', `open ${local}: no such file or directory`);
        const name = path_.basename(local);
        if (created.assets[name]) finish(1, '', `duplicate asset ${name}`);
        created.assets[name] = path_.join(dir, name);
        fs_.copyFileSync(local, created.assets[name]);
      }
      state.releases[tag] = created;
      finish(0, `https://github.com/${repo}/releases/tag/${tag}`);
    }
    if (sub === 'edit') {
      if (!release) finish(1, '', 'release not found');
      if (flag('--draft') !== undefined) release.draft = flag('--draft') === 'true';
      if (flag('--prerelease') !== undefined) release.prerelease = flag('--prerelease') === 'true';
      finish(0, `https://github.com/${repo}/releases/tag/${tag}`);
    }
    if (sub === 'download') {
      if (!release) finish(1, '', 'release not found');
      const dir = flag('--dir', '-D') ?? '.';
      const patterns = flags['--pattern'] ?? flags['-p'] ?? ['*'];
      const matches = (name: string) => patterns.some((p) => new RegExp('^' + p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$').test(name));
      const names = Object.keys(release.assets).filter(matches);
      if (names.length === 0) finish(1, '', 'no assets to download');
      fs_.mkdirSync(dir, { recursive: true });
      for (const name of names) {
        const target = path_.join(dir, name);
        if (fs_.existsSync(target) && !flag('--clobber')) finish(1, '', `${target} already exists (use --clobber to overwrite)`);
        fs_.copyFileSync(release.assets[name], target);
      }
      finish(0);
    }
    finish(2, '', `fake gh: unsupported command: gh ${args.join(' ')}`);
  }

  if (args[0] === 'api') {
    if (state.apiFailure) finish(1, '', `gh: ${state.apiFailure.message} (HTTP ${state.apiFailure.status})`);
    const route = positional[0] ?? '';
    const method = (flag('--method', '-X') ?? 'GET').toUpperCase();
    const m = /^\/?repos\/([^/]+\/[^/]+)\/(git\/refs?\/tags|releases\/tags)\/(.+)$/.exec(route);
    if (!m) finish(2, '', `fake gh: unsupported api call: gh ${args.join(' ')}`);
    const [, routeRepo, kind, tag] = m!;
    const notFound = () => finish(1, '', 'gh: Not Found (HTTP 404)');
    if (routeRepo !== state.repository) notFound();
    const out = (value: unknown) => finish(0, flag('--silent') ? '' : jq(value));
    if (kind.startsWith('git/ref')) {
      const sha = tagSha(tag);
      if (method === 'DELETE') {
        if (!sha) finish(1, '', 'gh: Reference does not exist (HTTP 422)');
        deleteTag(tag);
        finish(0);
      }
      if (!sha) notFound();
      const type = git('cat-file', '-t', sha!).stdout.trim();
      out({ ref: `refs/tags/${tag}`, object: { sha, type } });
    }
    const release = state.releases[tag];
    if (!release) notFound();
    const { tag: tagName, title, draft, prerelease, immutable, notes } = release;
    out({ tag_name: tagName, name: title, draft, prerelease, immutable, body: notes });
  }

  finish(2, '', `fake gh: unsupported command: gh ${args.join(' ')}`);
}

/** The `gh` stand-in of one test: its bin directory (put it first on PATH) and its records. */
export class FakeGitHub {
  /** Directory holding the `gh` executable. */
  public readonly binDir: string;
  /** Environment the stand-in needs (FAKE_GH_STATE). */
  public readonly env: Record<string, string>;
  private readonly statePath: string;

  /**
   * @param dir a scratch directory of the test
   * @param origin the bare repository playing GitHub's git side
   * @param repository `owner/name`
   */
  public constructor(dir: string, origin: string, repository: string) {
    this.binDir = path.join(dir, 'fake-gh-bin');
    this.statePath = path.join(dir, 'fake-gh-state.json');
    fs.mkdirSync(this.binDir, { recursive: true });
    const initial: State = { repository, origin, assetsDir: path.join(dir, 'fake-gh-assets'), releases: {}, calls: [] };
    fs.writeFileSync(this.statePath, JSON.stringify(initial));
    const gh = path.join(this.binDir, 'gh');
    fs.writeFileSync(gh, `#!${process.execPath}\n'use strict';\n(${fakeGhMain.toString()})();\n`, { mode: 0o755 });
    this.env = { FAKE_GH_STATE: this.statePath };
  }

  /** Every call so far. */
  public get calls(): GhCall[] {
    return this.state().calls;
  }

  /** The releases that exist now. */
  public get releases(): Record<string, FakeRelease> {
    return this.state().releases;
  }

  /** Calls whose arguments start with `prefix` (e.g. `['release', 'create']`). */
  public callsOf(...prefix: string[]): GhCall[] {
    return this.calls.filter((c) => prefix.every((p, i) => c.args[i] === p));
  }

  /** Adds a release for an existing tag of origin, with asset files (name → content). */
  public addRelease(tag: string, options: AddReleaseOptions = {}): void {
    const state = this.state();
    const dir = path.join(state.assetsDir, tag);
    fs.mkdirSync(dir, { recursive: true });
    const assets: Record<string, string> = {};
    for (const [name, content] of Object.entries(options.assets ?? {})) {
      assets[name] = path.join(dir, name);
      fs.writeFileSync(assets[name], content);
    }
    state.releases[tag] = {
      tag,
      title: tag,
      notes: options.notes ?? '',
      prerelease: options.prerelease ?? false,
      draft: false,
      immutable: options.immutable ?? false,
      assets,
    };
    fs.writeFileSync(this.statePath, JSON.stringify(state, null, 2));
  }

  /** From now on every `gh api` call fails as GitHub refuses it: `gh: <message> (HTTP <status>)`. */
  public failApi(status: number, message: string): void {
    const state = this.state();
    state.apiFailure = { status, message };
    fs.writeFileSync(this.statePath, JSON.stringify(state, null, 2));
  }

  private state(): State {
    return JSON.parse(fs.readFileSync(this.statePath, 'utf-8'));
  }
}
