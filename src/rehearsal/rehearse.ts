import type { RehearsalPlan } from './rehearsal-plan';
import type { JobResult, StepResult, StepRunner } from './step-runner';

/**
 * The rehearsal itself, as the generated script runs it: clones the repository into a throwaway
 * directory without a remote, runs the plan's validate and release steps there with the engine,
 * and reports. Returns the exit code. Self-contained (node's standard library only): the script
 * embeds it with `rehearse.toString()`.
 */
export function rehearse(plan: RehearsalPlan, argv: string[], engine: StepRunner): number {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cp: typeof import('child_process') = require('child_process');
  const crypto: typeof import('crypto') = require('crypto');
  const fs: typeof import('fs') = require('fs');
  const os: typeof import('os') = require('os');
  const path: typeof import('path') = require('path');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const color = process.stdout.isTTY && !process.env.NO_COLOR;
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const usage = [
    'Usage: release:rehearse --version X [--prerelease] [--force-recreate] [--keep] [--plan]',
    '',
    `Runs the validate and build jobs of ${plan.workflow}, and the release job's checks, on your machine`,
    'in a throwaway clone of this repository without a remote: validate the version, set it, update',
    'the changelog, commit, build, verify, write checksums and check the release commit, then show',
    'the release notes, the whole release commit, the files the GitHub release would attach and the',
    'tag that would be pushed. Nothing is pushed, tagged or released.',
    '',
    '  --version X        the version you would type into the workflow (required)',
    '  --prerelease       as the workflow\'s prerelease box',
    '  --force-recreate   as force_recreate: an existing local tag of the version is deleted in the clone',
    '  --keep             keep the clone (its path is printed)',
    '  --plan             print the steps that would run, as JSON, and exit',
  ].join('\n');

  // ---- arguments
  let version: string | undefined;
  let prerelease = false;
  let forceRecreate = false;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--version' || arg === '-v') {version = argv[++i];} else if (arg.startsWith('--version=')) {version = arg.slice('--version='.length);} else if (arg === '--prerelease') {prerelease = true;} else if (arg === '--force-recreate') {forceRecreate = true;} else if (arg === '--keep') {keep = true;} else if (arg === '--plan') {
      out(JSON.stringify(plan, null, 2));
      return 0;
    } else if (arg === '--help' || arg === '-h') {
      out(usage);
      return 0;
    } else if (!arg.startsWith('-') && version === undefined) {version = arg;} else {
      out(`release:rehearse: unknown argument "${arg}"\n\n${usage}`);
      return 2;
    }
  }
  if (!version) {
    out(`release:rehearse: say which version to rehearse, e.g. --version 1.2.0\n\n${usage}`);
    return 2;
  }

  // ---- the source repository. git's own variables (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE...,
  // which git sets for hooks) would point every git call at the caller's repository: clear them all.
  const localVars = cp.spawnSync('git', ['rev-parse', '--local-env-vars'], { encoding: 'utf-8', env: { PATH: process.env.PATH } }).stdout.split('\n').filter(Boolean);
  const cleanEnv: { [key: string]: string | undefined } = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!localVars.includes(key) && !/^GIT_CONFIG_(PARAMETERS|COUNT|KEY_\d+|VALUE_\d+)$/.test(key)) cleanEnv[key] = value;
  }
  const git = (cwd: string, ...args: string[]) => cp.spawnSync('git', args, { cwd, encoding: 'utf-8', env: cleanEnv as NodeJS.ProcessEnv });
  const top = git(process.cwd(), 'rev-parse', '--show-toplevel');
  if (top.status !== 0) {
    out('release:rehearse: run it inside the git repository of the project (git rev-parse --show-toplevel failed).');
    return 1;
  }
  const source = top.stdout.trim();
  const head = git(source, 'rev-parse', 'HEAD').stdout.trim();
  const branch = git(source, 'rev-parse', '--abbrev-ref', 'HEAD').stdout.trim();
  const originUrl = git(source, 'remote', 'get-url', 'origin').stdout.trim();
  const fromUrl = /github\.com[:/]([^/]+\/[^/]+?)(\.git)?\/?$/.exec(originUrl);
  const repository = fromUrl ? fromUrl[1] : 'OWNER/REPOSITORY';

  const started = Date.now();
  const seconds = (s: number) => `${s.toFixed(1)}s`;
  const stages: StepResult[] = [];
  const allSteps = [...plan.validate.steps, ...plan.build.steps, ...(plan.afterBuild ?? []).flatMap((j) => j.steps), ...plan.release.steps];
  const toolsName = `Find ${plan.tools.join(', ')}`;
  const ownNames = ['Clone the repository (no remote)', toolsName, 'Check that the tag is free (local tags)'];
  const idWidth = Math.max(10, ...allSteps.map((s) => s.id.length));
  const nameWidth = Math.max(30, ...allSteps.map((s) => s.name.length), ...ownNames.map((n) => n.length));
  const line = (status: string, id: string, name: string, tail: string) => {
    const label = { success: paint('32', 'PASS'), failure: paint('31', 'FAIL'), skipped: paint('2', 'SKIP') }[status] ?? status;
    out(`  ${label}  ${id.padEnd(idWidth)}  ${name.padEnd(nameWidth)}  ${tail}`);
  };
  const report = (result: StepResult) => {
    if (result.status === 'skipped' && result.reason === 'an earlier step failed') return;
    stages.push(result);
    line(result.status, result.id, result.name, result.status === 'skipped' ? paint('2', `not rehearsed: ${result.reason}`) : seconds(result.seconds));
  };
  /** A stage of the rehearsal's own (not a workflow script). */
  const stage = (id: string, name: string, body: () => string | undefined): StepResult => {
    const t = Date.now();
    let problem: string | undefined;
    try {
      problem = body();
    } catch (e) {
      problem = (e as Error).message;
    }
    const result: StepResult = { id, name, status: problem ? 'failure' : 'success', output: problem ?? '', seconds: (Date.now() - t) / 1000, outputs: {} };
    report(result);
    return result;
  };
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'release-rehearsal-'));
  const workspace = path.join(temp, 'repo');

  const finish = (failed: StepResult | undefined): number => {
    const total = seconds((Date.now() - started) / 1000);
    const passed = stages.filter((s) => s.status === 'success').length;
    out();
    if (failed) {
      const errors = failed.output.split('\n').filter((l) => l.startsWith('::error')).map((l) => l.replace(/^::error[^:]*::/, ''));
      out(paint('31', `--- output of "${failed.id}" (${failed.name}) ---`));
      const lines = failed.output.replace(/\s+$/, '').split('\n');
      if (lines.length > 80) out(`[... ${lines.length - 80} earlier lines; the clone is kept at ${workspace}]`);
      out(lines.slice(-80).join('\n'));
      out();
      out(paint('31', `Rehearsal FAILED at "${failed.id}" (${failed.name}) after ${passed} passed stages, ${total}.`));
      if (errors.length) out(`Reason: ${errors.join(' / ')}`);
      out(`The release workflow would stop there too. Nothing was pushed, tagged or released. The clone is kept at ${workspace}`);
      return 1;
    }
    if (keep) out(`The clone is kept at ${workspace}`);
    else fs.rmSync(temp, { recursive: true, force: true });
    out(paint('32', `Rehearsal PASSED: ${passed} stages in ${total}.`) + ` Nothing was pushed, tagged or released; the workflow's scripts pass on ${branch} @ ${head.slice(0, 7)}.`);
    return 0;
  };

  out(`Rehearsing the release of ${plan.distributionName} ${version} (${plan.workflow}) from ${branch} @ ${head.slice(0, 7)}`);
  out('The workflow\'s own scripts run in a throwaway clone without a remote: nothing is pushed, tagged or released.');
  const dirty = git(source, 'status', '--porcelain', '--untracked-files=no').stdout.trim();
  if (dirty) out(paint('33', 'Note: you have uncommitted changes; the rehearsal uses the last commit only.'));
  if (plan.releaseBranch && branch !== plan.releaseBranch) out(paint('33', `Note: the real release runs on ${plan.releaseBranch}; this rehearses ${branch}.`));
  out();

  // ---- clone, tools
  let failed: StepResult | undefined = stage('clone', ownNames[0], () => {
    const clone = git(temp, 'clone', '--quiet', '--no-local', source, workspace);
    if (clone.status !== 0) return `git clone failed: ${clone.stderr}`;
    const gitDir = git(workspace, 'rev-parse', '--absolute-git-dir').stdout.trim();
    if (!gitDir.startsWith(fs.realpathSync(temp) + path.sep) && !gitDir.startsWith(temp + path.sep)) {
      return `::error::The clone's git directory is ${gitDir}, outside the throwaway folder ${temp}: refusing to go on.`;
    }
    git(workspace, 'remote', 'remove', 'origin');
    return undefined;
  });
  if (failed.status === 'failure') return finish(failed);

  // a `gh` that refuses, first on PATH: no step reaches GitHub
  const bin = path.join(temp, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'gh'), '#!/bin/sh\necho "gh is not available during a release rehearsal" >&2\nexit 1\n', { mode: 0o755 });
  const baseEnv: { [key: string]: string | undefined } = {};
  for (const [key, value] of Object.entries(cleanEnv)) {
    if (!/^(GITHUB_|RUNNER_|GH_|GITHUB$|CI$)/.test(key)) baseEnv[key] = value;
  }
  Object.assign(baseEnv, {
    PATH: [bin, process.env.PATH].filter(Boolean).join(path.delimiter),
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
  });
  failed = stage('tools', toolsName, () => {
    const missing = plan.tools.filter((tool) => cp.spawnSync('bash', ['-c', 'command -v "$1"', 'bash', tool], { env: baseEnv as NodeJS.ProcessEnv, stdio: 'ignore' }).status !== 0);
    if (!missing.length) return undefined;
    const hints = [
      plan.toolsHint && missing.some((m) => plan.toolsHint!.includes(m)) ? `The workflow installs its release tools with: ${plan.toolsHint}` : '',
      missing.includes('sha256sum') ? 'sha256sum comes with GNU coreutils (macOS: brew install coreutils).' : '',
    ].filter(Boolean);
    return `::error::Not on PATH: ${missing.join(', ')}. ${hints.join(' ')}`.trim();
  });
  if (failed.status === 'failure') return finish(failed);

  const context = {
    inputs: { version, prerelease, force_recreate: forceRecreate, draft: false },
    github: { workspace, repository, ref: `refs/heads/${branch}`, sha: head, token: '' },
    // one runner.temp for all jobs: what the build job stages is what the release job checks
    runner: { temp: fs.mkdirSync(path.join(temp, 'runner-temp'), { recursive: true }) ?? path.join(temp, 'runner-temp') },
    secrets: {},
  };
  const runJob = (job: RehearsalPlan['validate'], extra: object): JobResult => engine.runJob({
    steps: job.steps,
    env: job.env,
    workingDirectory: job.workingDirectory,
    workspace,
    tempDir: path.join(temp, job.id),
    baseEnv,
    context: { ...context, ...extra },
    skip: (step) => (step as { skip?: string }).skip,
    afterStep: report,
  });

  // ---- validate: the workflow's checks that need no GitHub, then the local tag check
  const validate = runJob(plan.validate, {});
  if (!validate.ok) return finish(validate.failed);
  const outputs: { [key: string]: string } = {};
  for (const [name, expression] of Object.entries(plan.validate.outputs)) outputs[name] = engine.interpolate(expression, validate.context);
  const tag = outputs.tag ?? '';
  failed = stage('local-tag', ownNames[2], () => {
    if (!tag) return undefined;
    if (git(workspace, 'rev-parse', '--quiet', '--verify', `refs/tags/${tag}`).status !== 0) return undefined;
    if (forceRecreate) {
      git(workspace, 'tag', '--delete', tag);
      return undefined;
    }
    return `::error::Tag ${tag} already exists in your repository: the release would refuse it. Rehearse a new version, or pass --force-recreate as you would tick force_recreate.`;
  });
  if (failed.status === 'failure') return finish(failed);

  // ---- build: its scripts; then the release job's checks of what it handed on, up to the push
  // (compiled distributions: prepare, then the host's wheel and the sdist, then gather)
  const needs: { [job: string]: { outputs: { [key: string]: string } } } = { [plan.validate.id]: { outputs } };
  let build: JobResult | undefined;
  let built: { [key: string]: string } = {};
  for (const job of [plan.build, ...(plan.afterBuild ?? [])]) {
    build = runJob(job, { needs });
    if (!build.ok) return finish(build.failed);
    built = {};
    for (const [name, expression] of Object.entries(job.outputs)) built[name] = engine.interpolate(expression, build.context);
    needs[job.id] = { outputs: built };
  }
  const release = runJob(plan.release, { needs });
  if (!release.ok) return finish(release.failed);

  // ---- what the release would publish
  const section = (title: string) => {
    out();
    out(paint('1', `== ${title} ==`));
  };
  if (plan.notesFile) {
    const notes = engine.interpolate(plan.notesFile, build!.context);
    section(`Release notes of ${tag}`);
    out(fs.existsSync(notes) ? fs.readFileSync(notes, 'utf-8').replace(/\s+$/, '') : '(none written)');
  }
  const releaseCommit = built.commit || git(workspace, 'rev-parse', 'HEAD').stdout.trim();
  section(`The release commit: git show ${releaseCommit.slice(0, 7)}`);
  out(releaseCommit === head
    ? '(none: HEAD is the release commit of this version already)'
    : git(workspace, 'show', '--no-color', '--stat', '--patch', '--format=%H%n%an <%ae>%n%n    %s%n', releaseCommit).stdout.replace(/\s+$/, ''));
  // what the build job staged for the release job (the release-files artifact)
  const staged = [plan.build, ...(plan.afterBuild ?? [])].flatMap((j) => j.steps).find((st) => st.env?.RELEASE_FILES)?.env?.RELEASE_FILES;
  const distDir = staged ? engine.interpolate(staged, build!.context) : path.resolve(workspace, plan.build.workingDirectory ?? '.', 'dist');
  const listed = fs.existsSync(distDir) ? fs.readdirSync(distDir).sort() : [];
  const files = [...listed.filter((f) => f.endsWith('.whl')), ...listed.filter((f) => f.endsWith('.tar.gz')), ...listed.filter((f) => f === 'SHA256SUMS')];
  section('Files the GitHub release would attach');
  for (const file of files) {
    const data = fs.readFileSync(path.join(distDir, file));
    out(`  ${file.padEnd(Math.max(...files.map((f) => f.length)))}  ${String(data.length).padStart(8)} bytes  sha256 ${crypto.createHash('sha256').update(data).digest('hex').slice(0, 16)}...`);
  }
  if (!files.length) out('  (none)');
  const commit = git(workspace, 'log', '-1', '--format=%h %s', releaseCommit).stdout.trim();
  section('Tag');
  out(`  ${tag} -> ${commit}`);
  out(`  The workflow would push this commit to ${plan.releaseBranch ?? 'the release branch'} and the tag ${tag} together (atomic), then create`);
  out(`  the GitHub release ${tag} (prerelease: ${outputs.prerelease ?? 'false'}) with the ${files.length} files above, which starts the publish workflow.`);
  return finish(undefined);
}
