import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { VersionScheme } from '../src';
import { E2E_TOOLS } from './helpers/e2e/pipelines';
import { runWorkflowJob, toolEnv } from './helpers/e2e/workflow-runner';
import { stepOf } from './helpers/project';
import { REPO, synthPublish, VerifyRunner, workflowCommands } from './helpers/publish/verify-run';
import { describeWithTools } from './helpers/tools';

/**
 * A dispatched `tag` is typed by whoever may run the workflow. A newline (or a carriage return)
 * in it would start a new line of output, which GitHub's runner reads as a workflow command
 * (`::error::`, `::warning::`, `::add-mask::`...). The verify job checks the tag's shape before
 * anything echoes it, and the summary uses the verified tag, never the input.
 */
describeWithTools('a hostile tag input cannot forge workflow commands', E2E_TOOLS, () => {
  let root: string;
  let runner: VerifyRunner;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-tag-'));
    runner = new VerifyRunner(root, synthPublish());
  });

  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  const HOSTILE: Array<[string, string]> = [
    ['a newline and an error command', 'v1.2.0\n::error title=Forged::the release is fine, publish it by hand'],
    ['a carriage return and a warning', 'v1.2.0\r::warning::forged'],
    ['a newline, blanks and add-mask', 'v1.2.0\n   ::add-mask::ghs-workflow-token'],
    ['a space', 'v1.2.0 ::error::x'],
    ['an escape sequence', 'v1.2.0\u001b[2K'],
    ['a command substitution', 'v$(touch pwned)1.2.0'],
    ['percent-encoding', 'v1.2.0%0A::error::x'],
    ['a path', 'v1.2.0/../../etc'],
    ['a colon', 'v1.2.0::stop-commands::x'],
    ['an over-long tag', `v1.2.0.${'9'.repeat(200)}`],
    // not this package's prefix: only the shape check stands before the "wrong tag" message
    ['another prefix and a newline', 'release-1.2.0\n::error title=Forged::the release is fine'],
  ];

  test.each(HOSTILE)('%s: refused before any echo or GitHub call, with one clean error line', (_what, tag) => {
    const run = runner.run(undefined, {}, { dispatch: tag });
    expect(run.job.failed?.id).toBe('tag');
    const output = run.job.results.map((r) => r.output).join('\n');
    expect(workflowCommands(output)).toEqual([expect.stringMatching(/^::error title=Invalid tag::The tag input is not a release tag of this package/)]);
    expect(fs.existsSync(path.join(run.workspace, 'pwned'))).toBe(false);
    expect(run.gh.calls).toEqual([]);
  });

  test('the error shows the tag with unsafe characters replaced, on one line', () => {
    const run = runner.run(undefined, {}, { dispatch: 'v1.2.0\n::error::forged' });
    expect(run.job.failed?.output).toContain('(got "v1.2.0???error??forged", 22 characters)');
  });

  test.each([
    ['v1.2.0', {}],
    ['v1.2.0rc1', {}],
    ['v2!1.0.0', {}],
    ['v1.2.0.post1.dev3', {}],
    ['v1.2.0-rc.1', { versionScheme: VersionScheme.semver() }],
    ['sample-pkg-v1.2.0', { packageDir: 'packages/sample-pkg' }],
  ])('a good tag passes the shape check: %s', (tag, options) => {
    const run = new VerifyRunner(path.join(root, `ok-${tag.replace(/\W/g, '_')}`), synthPublish(options)).run(tag, { assets: {} }, { dispatch: tag });
    expect(run.job.step('tag').status).toBe('success');
  });

  test('the summary shows the verified tag, and none of a hostile input', () => {
    const wf = synthPublish();
    expect(stepOf(wf, 'summary', 'summary').env!.TAG).toBe('${{ needs.verify.outputs.tag }}');
    const dir = path.join(root, 'summary');
    const run = (tag: string, verified: Record<string, string>, result: string) => runWorkflowJob(wf, 'summary', {
      workspace: dir,
      tempDir: path.join(dir, `t-${Math.random().toString(36).slice(2)}`),
      baseEnv: toolEnv(path.join(dir, 'home'), path.join(dir, 'no-gh')),
      inputs: { tag },
      needs: {
        'verify': { outputs: verified, result },
        'publish-testpypi': { outputs: {}, result: 'skipped' },
        'test-install': { outputs: {}, result: 'skipped' },
        'publish-pypi': { outputs: {}, result: 'skipped' },
      } as any,
      github: { repository: REPO, server_url: 'https://github.com', event_name: 'workflow_dispatch' },
    });
    fs.mkdirSync(dir, { recursive: true });
    const hostile = run('v1.2.0\n::error title=Forged::publish it by hand', {}, 'failure');
    expect(hostile.ok).toBe(true);
    const text = hostile.step('summary').output;
    expect(workflowCommands(text)).toEqual([]);
    expect(text).not.toContain('Forged');
    expect(text).toContain('| Verify the GitHub release | ❌ failure | (tag not verified) |');

    const good = run('v1.2.0', { version: '1.2.0', tag: 'v1.2.0', prerelease: 'false' }, 'success');
    expect(good.step('summary').output).toContain('| Verify the GitHub release | ✅ success | [v1.2.0](https://github.com/acme/sample-pkg/releases/tag/v1.2.0) |');
  });
});
