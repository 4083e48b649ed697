/** An action as the project pins it now. */
export interface PinnedAction {
  readonly name: string;
  readonly sha: string;
  readonly version: string;
}

/**
 * The pins updater, as `.projen/pins-update.cjs` runs it (node's standard library and `gh` only; the
 * script embeds it with `toString()`): for each action, its newest release (`gh api
 * repos/O/R/releases/latest`), the commit its tag points at (annotated tags peeled), and, when that
 * release is newer than the pin, a new entry in the overrides file. Prints each change; with
 * `--dry-run` writes nothing. Returns the exit code.
 */
export function updatePins(actions: PinnedAction[], overridesFile: string, argv: string[]): number {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cp: typeof import('child_process') = require('child_process');
  const fs: typeof import('fs') = require('fs');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const dryRun = argv.includes('--dry-run');
  const unknown = argv.filter((a) => a !== '--dry-run');
  if (unknown.length) {
    out(`pins:update: unknown argument ${JSON.stringify(unknown[0])}. Usage: pins:update [--dry-run]`);
    return 2;
  }
  const api = (route: string, jq: string): string | undefined => {
    const r = cp.spawnSync('gh', ['api', route, '--jq', jq], { encoding: 'utf-8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  const parts = (v: string) => v.replace(/^v/, '').split('.').map(Number);
  const newer = (a: string, b: string) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
    return false;
  };
  const current = fs.existsSync(overridesFile) ? JSON.parse(fs.readFileSync(overridesFile, 'utf-8')) : {};
  const pins: { [name: string]: { sha: string; version: string } } = { ...current.pins };
  const changes: string[] = [];
  let failed = 0;
  for (const action of actions) {
    const repo = action.name.split('/').slice(0, 2).join('/');
    const tag = api(`repos/${repo}/releases/latest`, '.tag_name');
    if (!tag || !/^v\d+(\.\d+){0,2}$/.test(tag)) {
      out(`  ${action.name}: could not read its newest release (${tag === undefined ? 'gh api failed' : `tag ${JSON.stringify(tag)}`}); kept ${action.version}`);
      failed++;
      continue;
    }
    if (!newer(tag, action.version)) {
      out(`  ${action.name}: ${action.version} is its newest release`);
      continue;
    }
    let [type, sha] = (api(`repos/${repo}/git/ref/tags/${tag}`, '"\\(.object.type) \\(.object.sha)"') ?? '').split(' ');
    if (type === 'tag') [sha] = [api(`repos/${repo}/git/tags/${sha}`, '.object.sha') ?? ''];
    if (!/^[0-9a-f]{40}$/.test(sha ?? '')) {
      out(`  ${action.name}: could not resolve ${tag} to a commit; kept ${action.version}`);
      failed++;
      continue;
    }
    pins[action.name] = { sha, version: tag };
    changes.push(`  ${action.name}: ${action.version} (${action.sha.slice(0, 7)}) -> ${tag} (${sha.slice(0, 7)})`);
  }
  out();
  if (!changes.length) {
    out('Every pinned action is at its newest release.');
    return failed ? 1 : 0;
  }
  out(`${dryRun ? 'Would pin' : 'Pinned'} in ${overridesFile}:`);
  for (const c of changes) out(c);
  if (dryRun) return failed ? 1 : 0;
  const sorted = Object.fromEntries(Object.entries(pins).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(overridesFile, JSON.stringify({
    $comment: 'Action pins that override projen-pypi-pipelines\' catalog, written by npx projen pins:update. You own this file: review it and commit it.',
    pins: sorted,
  }, null, 2) + '\n');
  out();
  out(`Review the change (git diff ${overridesFile}), run npx projen to pin the workflows, and commit both.`);
  return failed ? 1 : 0;
}
