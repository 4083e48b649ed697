import type { ManualPublishPlan, ManualUpload } from './manual-publish-plan';
import type { PlanJob } from '../../rehearsal/rehearsal-plan';
import type { JobResult, StepResult, StepRunner } from '../../rehearsal/step-runner';

/**
 * The manual publication, as the generated script runs it: downloads the release's files with
 * `gh release download` and verifies them with publish.yml's own verify steps (the engine runs
 * them in a scratch directory), then uploads them with twine from this machine: TestPyPI first
 * (and publish.yml's install test against it), then PyPI. Returns the exit code. Self-contained
 * (node's standard library only): the script embeds it with `publishManually.toString()`.
 */
export function publishManually(plan: ManualPublishPlan, argv: string[], engine: StepRunner): number {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cp: typeof import('child_process') = require('child_process');
  const fs: typeof import('fs') = require('fs');
  const os: typeof import('os') = require('os');
  const path: typeof import('path') = require('path');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const out = (line = '') => process.stdout.write(`${line}\n`);
  const usesTestPypi = plan.uploads.some((u) => u.index === 'testpypi');
  const usage = [
    'Usage: publish:manual --tag TAG [--pypi-only | --testpypi-only | --verify-only] [--repo OWNER/NAME] [--keep]',
    '',
    `Publishes the GitHub release TAG of ${plan.distributionName} from this machine, when ${plan.workflow} cannot:`,
    `downloads its files with gh, verifies them with ${plan.workflow}'s own verify steps (tag, version, artifact`,
    'attestations, SHA256SUMS, name, twine check), then uploads them with twine:',
    usesTestPypi ? '  TestPyPI first, then the install test against it, then PyPI.' : '  to PyPI (this package does not use TestPyPI).',
    '',
    '  --tag TAG          the release tag, e.g. ' + `${plan.tagPrefix}1.2.0 (required)`,
    '  --pypi-only        skip TestPyPI and the install test (they passed already)',
    '  --testpypi-only    stop after TestPyPI and the install test',
    '  --verify-only      download and verify, upload nothing',
    '  --repo OWNER/NAME  the GitHub repository (default: from the origin remote)',
    '  --keep             keep the scratch directory (its path is printed)',
    '  --plan             print the steps as JSON and exit',
    '',
    'Other indexes for a trial run (devpi, pypiserver): PUBLISH_TESTPYPI_URL and PUBLISH_PYPI_URL (uploads),',
    `${Object.keys(plan.indexes).join(', ')} (what the install test reads).`,
    '',
    'Needs gh (logged in: gh auth login) and twine on PATH. Credentials for twine: TEST_PYPI_API_TOKEN and',
    'PYPI_API_TOKEN (API tokens, one per index), or what twine finds itself (TWINE_USERNAME/TWINE_PASSWORD,',
    'a keyring, its prompt). These uploads carry no PEP 740 attestations (they need GitHub\'s OIDC token).',
  ].join('\n');

  // ---- arguments
  let tag: string | undefined;
  let repo: string | undefined;
  let only: string | undefined;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (name: string) => (arg.startsWith(`${name}=`) ? arg.slice(name.length + 1) : argv[++i]);
    if (arg === '--tag' || arg.startsWith('--tag=')) {
      tag = value('--tag');
    } else if (arg === '--repo' || arg.startsWith('--repo=')) {
      repo = value('--repo');
    } else if (arg === '--pypi-only' || arg === '--testpypi-only' || arg === '--verify-only') {
      if (only && only !== arg) {
        out(`publish:manual: ${only} and ${arg} cannot be combined.\n\n${usage}`);
        return 2;
      }
      only = arg;
    } else if (arg === '--keep') {
      keep = true;
    } else if (arg === '--plan') {
      out(JSON.stringify(plan, null, 2));
      return 0;
    } else if (arg === '--help' || arg === '-h') {
      out(usage);
      return 0;
    } else {
      out(`publish:manual: unknown argument "${arg}"\n\n${usage}`);
      return 2;
    }
  }
  if (!tag) {
    out(`publish:manual: say which release to publish, e.g. --tag ${plan.tagPrefix}1.2.0\n\n${usage}`);
    return 2;
  }
  if (only === '--testpypi-only' && !usesTestPypi) {
    out(`publish:manual: ${plan.distributionName} does not use TestPyPI (TestPypiPolicy.skip()); leave out --testpypi-only.`);
    return 2;
  }
  const run = (cmd: string, args: string[]) => cp.spawnSync(cmd, args, { encoding: 'utf-8' });
  if (!repo) {
    const origin = run('git', ['remote', 'get-url', 'origin']).stdout?.trim() ?? '';
    repo = /github\.com[:/]([^/]+\/[^/]+?)(\.git)?\/?$/.exec(origin)?.[1];
  }
  if (!repo || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) {
    out('publish:manual: cannot tell the GitHub repository from the origin remote; pass --repo OWNER/NAME.');
    return 2;
  }
  const missing = plan.tools.filter((t) => run('bash', ['-c', 'command -v "$1"', 'bash', t]).status !== 0);
  if (missing.length) {
    out(`publish:manual: not on PATH: ${missing.join(', ')} (gh: https://cli.github.com; twine: pipx install twine).`);
    return 1;
  }
  const token = process.env.GH_TOKEN || process.env.GITHUB_TOKEN || run('gh', ['auth', 'token']).stdout?.trim();
  if (!token) {
    out('publish:manual: gh has no token: log in with gh auth login (or set GH_TOKEN).');
    return 1;
  }

  // ---- the scratch directory and the steps' environment
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-manual-'));
  const workspace = path.join(temp, 'workspace');
  fs.mkdirSync(workspace);
  const baseEnv: { [key: string]: string | undefined } = {};
  for (const [key, v] of Object.entries(process.env)) {
    if (!/^(GITHUB_|RUNNER_|GH_|TWINE_|PIP_|PUBLISH_|CI$)/.test(key) && !/^(TEST_PYPI|PYPI)_API_TOKEN$/.test(key)) baseEnv[key] = v;
  }
  const context = {
    inputs: { tag },
    github: { repository: repo, token, event_name: 'workflow_dispatch', ref: `refs/tags/${tag}`, server_url: 'https://github.com', workspace },
    secrets: {},
  };
  const started = Date.now();
  const seconds = (s: number) => `${s.toFixed(1)}s`;
  const line = (status: string, id: string, name: string, tail: string) => out(`  ${status.padEnd(4)}  ${id.padEnd(18)}  ${name.padEnd(52)}  ${tail}`);
  const report = (r: StepResult) => {
    if (r.status === 'skipped' && r.reason === 'an earlier step failed') return;
    line({ success: 'PASS', failure: 'FAIL', skipped: 'SKIP' }[r.status] ?? r.status, r.id, r.name, r.status === 'skipped' ? `(${r.reason})` : seconds(r.seconds));
  };
  const finish = (failure: string | undefined, output?: string): number => {
    out();
    if (failure) {
      if (output) out(output.replace(/\s+$/, '').split('\n').slice(-60).join('\n'));
      out();
      out(`publish:manual FAILED: ${failure} (${seconds((Date.now() - started) / 1000)}). The scratch directory is kept at ${temp}`);
      return 1;
    }
    if (keep) out(`The scratch directory is kept at ${temp}`);
    else fs.rmSync(temp, { recursive: true, force: true });
    return 0;
  };
  // another index for a trial run: replace the URLs the steps name by the user's
  const pointed = (job: PlanJob): PlanJob => ({
    ...job,
    steps: job.steps.map((step) => {
      if (!step.env) return step;
      const env: { [key: string]: string } = {};
      for (const [key, value] of Object.entries(step.env)) {
        const name = Object.keys(plan.indexes).find((n) => plan.indexes[n] === value && process.env[n]);
        env[key] = name ? process.env[name]! : value;
      }
      return { ...step, env };
    }),
  });
  const runJob = (job: PlanJob, extra: object): JobResult => engine.runJob({
    steps: pointed(job).steps,
    env: job.env,
    workingDirectory: job.workingDirectory,
    workspace,
    tempDir: path.join(temp, job.id),
    baseEnv,
    context: { ...context, ...extra },
    skip: (step) => (step as { skip?: string }).skip,
    beforeStep: (step) => {
      if (process.stdout.isTTY) process.stdout.write(`  ....  ${step.id.padEnd(18)}  ${step.name}\r`);
    },
    afterStep: report,
    timeoutSeconds: 3600,
  });

  out(`Publishing ${plan.distributionName} ${JSON.stringify(tag)} of ${repo} by hand, with ${plan.workflow}'s own verify steps (scratch: ${temp})`);
  out();
  out(`== verify (${plan.workflow}, job ${plan.verify.id}) ==`);
  const verify = runJob(plan.verify, {});
  if (!verify.ok) return finish(`step "${verify.failed!.id}" (${verify.failed!.name}) of the verify job`, verify.failed!.output);
  const outputs: { [key: string]: string } = {};
  for (const [name, expression] of Object.entries(plan.verify.outputs)) outputs[name] = engine.interpolate(expression, verify.context);
  const needs = { needs: { [plan.verify.id]: { outputs, result: 'success' } } };
  const dist = path.resolve(workspace, verify.context.env?.DIST_DIR ?? 'dist');
  const files = fs.readdirSync(dist).filter((f) => f.endsWith('.whl') || f.endsWith('.tar.gz')).sort().map((f) => path.join(dist, f));
  out(`Verified ${plan.distributionName} ${outputs.version}: ${files.map((f) => path.basename(f)).join(', ')}`);
  if (only === '--verify-only') return finish(undefined);

  const upload = (u: ManualUpload): string | undefined => {
    if (u.if && !engine.condition(u.if, { ...context, ...needs }, false)) {
      out(`  SKIP  ${u.jobId.padEnd(18)}  not uploaded to ${u.index}: ${plan.workflow} would not either (if: ${u.if})`);
      return undefined;
    }
    const override = process.env[u.index === 'pypi' ? 'PUBLISH_PYPI_URL' : 'PUBLISH_TESTPYPI_URL'];
    const skipExisting = u.inputs['skip-existing'] === true || u.inputs['skip-existing'] === 'true';
    const url = override || String(u.inputs['repository-url']);
    const args = ['upload', '--repository-url', url, ...(skipExisting ? ['--skip-existing'] : []), ...(process.stdin.isTTY ? [] : ['--non-interactive']), ...files];
    const env: { [key: string]: string | undefined } = { ...process.env };
    const apiToken = process.env[u.index === 'pypi' ? 'PYPI_API_TOKEN' : 'TEST_PYPI_API_TOKEN'];
    if (apiToken) Object.assign(env, { TWINE_USERNAME: '__token__', TWINE_PASSWORD: apiToken });
    out(`twine ${args.map((a) => (a.startsWith(temp) ? path.relative(workspace, a) : a)).join(' ')}`);
    const r = cp.spawnSync('twine', args, { cwd: workspace, env: env as NodeJS.ProcessEnv, stdio: 'inherit' });
    return r.status === 0 ? undefined : `twine upload to ${u.index} exited with ${r.status ?? r.signal}`;
  };

  for (const u of plan.uploads) {
    if (only === '--pypi-only' && u.index !== 'pypi') continue;
    if (only === '--testpypi-only' && u.index !== 'testpypi') continue;
    out();
    out(`== upload to ${u.index} (as ${plan.workflow}'s ${u.jobId}) ==`);
    const failed = upload(u);
    if (failed) return finish(failed);
    if (u.index === 'testpypi' && plan.testInstall) {
      out();
      out(`== install test (${plan.workflow}, job ${plan.testInstall.id}) ==`);
      const install = runJob(plan.testInstall, needs);
      if (!install.ok) return finish(`step "${install.failed!.id}" (${install.failed!.name}) of the install test; nothing was uploaded to PyPI`, install.failed!.output);
    }
  }
  out();
  out(`publish:manual: ${plan.distributionName} ${outputs.version} done (${seconds((Date.now() - started) / 1000)}).`);
  return finish(undefined);
}
