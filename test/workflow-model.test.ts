import * as fs from 'fs';
import * as path from 'path';
import { github, JsonPatch, Project, YamlFile } from 'projen';
import { ActionPin, ActionPins, Permission, PipelineWorkflow } from '../src';
import { formatFindings, lintWorkflows } from './helpers/lint';
import { newProject, parseWorkflow, synthWorkflows } from './helpers/project';
import { kebabCaseKeys, snakeCaseKeys } from '../src/workflow/workflow-render';

function workflow(project = newProject()) {
  const wf = new PipelineWorkflow(project, 'Test', { workflowName: 'Test', fileName: 'test.yml', concurrencyGroup: 'test' });
  wf.workflow.on({ workflowDispatch: {} });
  return { project, wf };
}

function stepIds(project: Project, jobId: string): string[] {
  return parseWorkflow(synthWorkflows(project)['test.yml']).jobs[jobId].steps.map((s) => s.id);
}

describe('Job steps', () => {
  test('add, insert before and after, replace and remove keep order and ids', () => {
    const { project, wf } = workflow();
    const job = wf.addJob('build', { name: 'Build' });
    job.addStep('a', { name: 'A', run: 'echo a' });
    job.addStep('c', { name: 'C', run: 'echo c' });
    job.insertStepBefore('c', 'b', { name: 'B', run: 'echo b' });
    job.insertStepAfter('c', 'd', { name: 'D', run: 'echo d' });
    job.insertStepBefore('a', 'first', { name: 'First', run: 'echo first' });
    job.replaceStep('b', { name: 'B2', run: 'echo b2' });
    job.removeStep('d');
    expect(job.steps.map((s) => s.stepId)).toEqual(['first', 'a', 'b', 'c']);
    expect(job.findStep('b').options.run).toBe('echo b2');
    expect(stepIds(project, 'build')).toEqual(['first', 'a', 'b', 'c']);
  });

  test('duplicate or unknown step ids are refused with the ids there are', () => {
    const { wf } = workflow();
    const job = wf.addJob('build', { name: 'Build' });
    job.addStep('a', { name: 'A', run: 'echo a' });
    expect(() => job.addStep('a', { name: 'again', run: 'echo' })).toThrow(/already has a step "a": step ids must be unique/);
    expect(() => job.insertStepAfter('nope', 'x', { name: 'X', run: 'echo' })).toThrow(/has no step "nope". Steps: a\./);
    expect(() => job.removeStep('nope')).toThrow(/has no step "nope"/);
  });

  test.each<[string, any, RegExp]>([
    ['an expression inside run', { name: 'x', run: 'echo ${{ github.ref }}' }, /contains a \$\{\{ \}\} expression.*Pass the value through "env"/],
    ['both run and uses', { name: 'x', run: 'echo', uses: 'a/b@c' }, /exactly one of "run".*"uses"/],
    ['neither run nor uses', { name: 'x' }, /exactly one of "run"/],
    ['no name', { name: '', run: 'echo' }, /"name" is required/],
    ['an action without a ref', { name: 'x', uses: 'actions/checkout' }, /"uses" must be "owner\/repo@<sha>"/],
    ['a bad env name', { name: 'x', run: 'echo', env: { 'A-B': '1' } }, /env name "A-B"/],
    ['with on a script', { name: 'x', run: 'echo', with: { a: 1 } }, /"with" only applies to "uses"/],
  ])('a step with %s is refused', (_what, options, message) => {
    const { wf } = workflow();
    expect(() => wf.addJob('j', { name: 'J' }).addStep('s', options)).toThrow(message);
  });

  test('an invalid step id is refused', () => {
    const { wf } = workflow();
    expect(() => wf.addJob('j', { name: 'J' }).addStep('1st step', { name: 'x', run: 'echo' })).toThrow(/Invalid step id "1st step"/);
  });
});

describe('Job permissions', () => {
  test('are the union of what the steps need, the strongest level winning, with reasons as comments', () => {
    const { project, wf } = workflow();
    const job = wf.addJob('j', { name: 'J', permissions: [Permission.read('issues')] });
    job.addStep('read', { name: 'Read', run: 'echo', permissions: [Permission.read('contents')] });
    job.addStep('write', { name: 'Write', run: 'echo', permissions: [Permission.write('contents', 'push the tag')] });
    job.addStep('id', { name: 'Token', run: 'echo', permissions: [Permission.idTokenForTrustedPublishing()] });
    const text = synthWorkflows(project)['test.yml'];
    expect(parseWorkflow(text).jobs.j.permissions).toEqual({ 'contents': 'write', 'id-token': 'write', 'issues': 'read' });
    expect(text).toContain('      contents: write # push the tag\n');
    expect(text).toMatch(/ {6}id-token: write # trusted publishing: .+\n/);
    expect(text).toMatch(/^permissions: \{\}$/m);
  });

  test('a later, weaker grant of a scope never downgrades an earlier write', () => {
    const { project, wf } = workflow();
    // write first (a step), then read of the same scope (a later step, and the job's own grant)
    const job = wf.addJob('j', { name: 'J' });
    job.addStep('push', { name: 'Push', run: 'echo', permissions: [Permission.write('contents', 'push the tag')] });
    job.addStep('read', { name: 'Read', run: 'echo', permissions: [Permission.read('contents'), Permission.read('id-token')] });
    job.addStep('sign', { name: 'Sign', run: 'echo', permissions: [Permission.idTokenForTrustedPublishing()] });
    job.addPermissions(Permission.read('contents'), Permission.read('id-token'));
    const text = synthWorkflows(project)['test.yml'];
    expect(parseWorkflow(text).jobs.j.permissions).toEqual({ 'contents': 'write', 'id-token': 'write' });
    expect(job.permissions.map((p) => [p.scope, p.level, p.reasons])).toEqual([
      ['contents', 'write', ['push the tag']],
      ['id-token', 'write', [expect.stringMatching(/^trusted publishing/)]],
    ]);
  });

  test('a read may carry a reason too, written beside it; a read without one gets no comment', () => {
    const { project, wf } = workflow();
    const job = wf.addJob('j', { name: 'J', permissions: [Permission.read('attestations', 'gh attestation verify')] });
    job.addStep('read', { name: 'Read', run: 'echo', permissions: [Permission.read('contents')] });
    const text = synthWorkflows(project)['test.yml'];
    expect(text).toContain('      attestations: read # gh attestation verify\n      contents: read\n');
    expect(() => Permission.read('actions', 'a\nb')).toThrow('Permission.read("actions"): the reason must be a single line.');
  });

  test('a job with no permissions gets an explicit empty set', () => {
    const { project, wf } = workflow();
    wf.addJob('j', { name: 'J' }).addStep('s', { name: 'S', run: 'echo' });
    const text = synthWorkflows(project)['test.yml'];
    expect(parseWorkflow(text).jobs.j.permissions).toEqual({});
    expect(text).toContain('    permissions: {}\n');
  });

  test.each<[string, () => Permission, RegExp]>([
    ['an unknown scope', () => Permission.read('everything'), /"everything" is not a GITHUB_TOKEN scope/],
    ['a write without reason', () => Permission.write('contents', ' '), /needs a reason/],
    ['a multi-line reason', () => Permission.write('contents', 'a\nb'), /single line/],
  ])('%s is refused', (_what, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('Jobs', () => {
  test('needs, outputs, environment and removal', () => {
    const { project, wf } = workflow();
    const a = wf.addJob('a', { name: 'A', outputs: { v: { stepId: 's', outputName: 'v' } } });
    a.addStep('s', { name: 'S', run: 'echo "v=1" >> "$GITHUB_OUTPUT"' });
    const b = wf.addJob('b', { name: 'B', needs: [a], env: { V: a.outputExpression('v') } });
    b.addStep('s', { name: 'S', run: 'echo "$V"' });
    expect(() => wf.removeJob('a')).toThrow(/cannot remove job "a", "b" need it/);
    expect(() => a.outputExpression('nope')).toThrow(/has no output "nope". Outputs: v\./);
    const parsed = parseWorkflow(synthWorkflows(project)['test.yml']);
    expect(parsed.jobs.b.needs).toBe('a');
    expect(parsed.jobs.b.env).toEqual({ V: '${{ needs.a.outputs.v }}' });
    expect(parsed.jobs.a.outputs).toEqual({ v: '${{ steps.s.outputs.v }}' });
  });

  test('removing a job removes it from the workflow', () => {
    const { project, wf } = workflow();
    wf.addJob('a', { name: 'A' }).addStep('s', { name: 'S', run: 'echo' });
    wf.addJob('b', { name: 'B' }).addStep('s', { name: 'S', run: 'echo' });
    wf.removeJob('a');
    expect(Object.keys(parseWorkflow(synthWorkflows(project)['test.yml']).jobs)).toEqual(['b']);
    expect(() => wf.findJob('a')).toThrow(/has no job "a". Jobs: b\./);
  });

  test('a job needing a job of another workflow, an output of a missing step, or no steps fails at synth', () => {
    const p1 = workflow();
    const other = new PipelineWorkflow(p1.project, 'Other', { workflowName: 'Other', fileName: 'other.yml', concurrencyGroup: 'o' });
    other.workflow.on({ workflowDispatch: {} });
    const foreign = other.addJob('x', { name: 'X' });
    foreign.addStep('s', { name: 'S', run: 'echo' });
    p1.wf.addJob('a', { name: 'A', needs: [foreign] }).addStep('s', { name: 'S', run: 'echo' });
    expect(() => p1.project.synth()).toThrow(/job "a" needs job "x", which is not in this workflow/);

    const p2 = workflow();
    p2.wf.addJob('a', { name: 'A', outputs: { o: { stepId: 'gone', outputName: 'o' } } }).addStep('s', { name: 'S', run: 'echo' });
    expect(() => p2.project.synth()).toThrow(/output "o" reads step "gone"/);

    const p3 = workflow();
    p3.wf.addJob('a', { name: 'A' });
    expect(() => p3.project.synth()).toThrow(/job "a" has no steps/);
  });

  test('bad job options are refused', () => {
    const { wf } = workflow();
    expect(() => wf.addJob('a b', { name: 'A' })).toThrow(/Invalid job id "a b"/);
    expect(() => wf.addJob('a', { name: 'A', timeoutMinutes: 0 })).toThrow(/timeoutMinutes must be between 1 and 360/);
    expect(() => wf.addJob('b', { name: 'B', runsOn: [] })).toThrow(/runsOn must name at least one runner/);
  });
});

describe('action pins', () => {
  test('a user override through project.github.actions wins, and pinAction keeps the version comment', () => {
    const { project, wf } = workflow();
    wf.addJob('a', { name: 'A' }).addStep('checkout', { name: 'Checkout', uses: ActionPins.CHECKOUT.ref });
    PipelineWorkflow.pinAction(project, ActionPin.of('actions/checkout', 'a'.repeat(40), 'v9.9.9'));
    const text = synthWorkflows(project)['test.yml'];
    expect(text).toContain(`uses: actions/checkout@${'a'.repeat(40)} # v9.9.9`);
  });

  test('an override by plain projen API is honoured (no version comment can be known)', () => {
    const { project, wf } = workflow();
    wf.addJob('a', { name: 'A' }).addStep('checkout', { name: 'Checkout', uses: ActionPins.CHECKOUT.ref });
    github.GitHub.of(project)!.actions.set('actions/checkout', `actions/checkout@${'b'.repeat(40)}`);
    expect(synthWorkflows(project)['test.yml']).toMatch(new RegExp(`uses: actions/checkout@${'b'.repeat(40)}\\n`));
  });

  test('an override that is not a SHA pin is warned about at synth', () => {
    const { project, wf } = workflow();
    wf.addJob('a', { name: 'A' }).addStep('checkout', { name: 'Checkout', uses: ActionPins.CHECKOUT.ref });
    github.GitHub.of(project)!.actions.set('actions/checkout', 'actions/checkout@v4');
    const warn = jest.spyOn(project.logger, 'warn').mockImplementation(() => {});
    synthWorkflows(project);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/job "a" uses "actions\/checkout@v4", which is not pinned to a full commit SHA/));
  });

  test('every catalog pin is a full SHA with a release tag', () => {
    for (const pin of ActionPins.all()) {
      expect(pin.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(pin.version).toMatch(/^v\d+\.\d+\.\d+$/);
    }
    expect(() => ActionPin.of('actions/checkout', 'v4', 'v4.0.0')).toThrow(/not a full 40-character/);
    expect(() => ActionPin.of('actions/checkout', 'a'.repeat(40), 'main')).toThrow(/not a release tag/);
  });
});

test('a custom workflow built from the model passes actionlint and shellcheck', async () => {
  const { project, wf } = workflow();
  const job = wf.addJob('a', { name: 'A' });
  job.addStep('checkout', { name: 'Checkout', uses: ActionPins.CHECKOUT.ref, with: { 'persist-credentials': false } });
  job.addStep('greet', { name: 'Greet', run: 'set -euo pipefail\necho "hello $WHO"', env: { WHO: '${{ github.actor }}' } });
  expect(formatFindings(await lintWorkflows(synthWorkflows(project)))).toBe('');
});

test('a project whose GitHub workflows are disabled gets a clear error', () => {
  const project = new Project({ name: 'x', outdir: newProject().outdir });
  new github.GitHub(project, { workflows: false, mergify: false, pullRequestLint: false });
  expect(() => workflow(project)).toThrow(/GitHub workflows are disabled.*Enable them/);
});

describe('Rendering', () => {
  /** A pipeline workflow with a bit of everything projen renders, and the same workflow through projen's own GithubWorkflow. */
  function sideBySide() {
    const { project, wf } = workflow();
    wf.workflow.on({
      workflowDispatch: { inputs: { 'dry-run': { description: 'Dry run', type: 'boolean', required: false }, 'myInput': { description: 'camel', type: 'string', required: true } } },
      pullRequestTarget: { branches: ['main'] },
    });
    wf.workflow.runName = 'Test ${{ github.ref }}';
    const build = wf.addJob('build', { name: 'Build', env: { A: '1' }, strategy: { failFast: false, matrix: { domain: { py: ['3.12', '3.13'] } } } });
    build.addStep('checkout', { name: 'Checkout', uses: ActionPins.CHECKOUT.ref, with: { 'persist-credentials': false } });
    build.addStep('run', { name: 'Run', run: 'set -euo pipefail\necho "# not a comment: $A"\n', workingDirectory: 'sub', continueOnError: true, timeoutMinutes: 5 });
    build.addOutput('out', 'run', 'value');
    const tag = wf.addJob('tag', { name: 'Tag', needs: [build], permissions: [Permission.write('contents', 'pushes the tag')] });
    tag.addStep('push', { name: 'Push', run: 'git push', env: { TOKEN: '${{ github.token }}' } });
    // A job added with projen's own API, with what our model does not produce.
    wf.workflow.addJob('extra', {
      name: 'Extra',
      runsOn: ['ubuntu-24.04', 'big'],
      permissions: { contents: github.workflows.JobPermission.READ, idToken: github.workflows.JobPermission.NONE },
      container: { image: 'python:3.13' },
      services: { db: { image: 'postgres:17' } },
      continueOnError: true,
      defaults: { run: { workingDirectory: 'x' } },
      steps: [{ id: 's', name: 'S', run: 'true', shell: 'bash' }],
    });
    wf.workflow.addJob('reuse', { uses: 'octo/repo/.github/workflows/w.yml@main', permissions: { pullRequests: github.workflows.JobPermission.WRITE }, with: { x: 1 }, secrets: 'inherit', needs: ['build'] });
    const ours = synthWorkflows(project)['test.yml'];

    const other = newProject();
    const projenWorkflow = new github.GithubWorkflow(github.GitHub.of(other)!, 'Test', {
      fileName: 'test.yml', limitConcurrency: true, concurrencyOptions: { group: 'test', cancelInProgress: false },
    });
    projenWorkflow.on({ workflowDispatch: {} });
    projenWorkflow.on({
      workflowDispatch: { inputs: { 'dry-run': { description: 'Dry run', type: 'boolean', required: false }, 'myInput': { description: 'camel', type: 'string', required: true } } },
      pullRequestTarget: { branches: ['main'] },
    });
    projenWorkflow.runName = wf.workflow.runName;
    projenWorkflow.addJobs(wf.workflow.jobs);
    return { ours, projens: synthWorkflows(other)['test.yml'], project, wf };
  }

  test('is projen\'s rendering of the same workflow, plus permissions: {} and the comments', () => {
    const { ours, projens } = sideBySide();
    expect(ours).toContain(`uses: ${ActionPins.CHECKOUT.ref} # ${ActionPins.CHECKOUT.version}\n`);
    expect(ours).toContain('contents: write # pushes the tag\n');
    expect(ours).toMatch(/\non:\n[\s\S]*\npermissions: {}\nconcurrency:\n/);
    expect(ours).toContain('      dry_run:\n'); // projen snake-cases every key under on:, input names too
    const stripped = ours
      .replace(/\npermissions: {}\n/, '\n')
      .replace(/^(\s+(?:- )?uses: \S+) # v\S+$/gm, '$1')
      .replace(/^(\s+[a-z-]+: write) # .*$/gm, '$1');
    expect(stripped).toBe(projens);
  });

  test('renders the YAML once, straight to text: no YAML document is built for it and nothing is parsed', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const projenYaml: typeof import('yaml') = require(require.resolve('yaml', { paths: [path.dirname(require.resolve('projen/package.json'))] }));
    const toString = jest.spyOn(projenYaml.Document.prototype, 'toString');
    const parse = jest.spyOn(projenYaml.Parser.prototype, 'parse'); // what parse(), parseDocument() and parseAllDocuments() use
    try {
      const { project, wf } = workflow();
      wf.addJob('a', { name: 'A' }).addStep('s', { name: 'S', run: 'true' });
      expect(synthWorkflows(project)['test.yml']).toContain('name: Test\n');
      expect(toString.mock.contexts.filter((doc) => doc.get('name') === 'Test')).toHaveLength(0);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      jest.restoreAllMocks();
    }
  });

  test('the file is projen\'s kind: the only file at its path, with the marker, read-only, and its escape hatches work', () => {
    const { project, wf } = workflow();
    wf.addJob('a', { name: 'A' }).addStep('s', { name: 'S', run: 'true' });
    const file = wf.workflow.file!;
    expect(file).toBeInstanceOf(YamlFile);
    expect(project.files.filter((f) => f.path === '.github/workflows/test.yml')).toEqual([file]);
    file.addOverride('jobs.a.timeout-minutes', 45);
    file.addOverride('permissions', { contents: 'write' });
    file.patch(JsonPatch.add('/jobs/a/steps/0/env', { X: '1' }));
    const text = synthWorkflows(project)['test.yml'];
    expect(text.split('\n')[0]).toBe('# ~~ Generated by projen. To modify, edit .projenrc.js and run "npx projen".');
    const parsed = parseWorkflow(text);
    expect(parsed.jobs.a).toMatchObject({ 'timeout-minutes': 45, 'steps': [{ env: { X: '1' } }] });
    expect(parsed.permissions).toEqual({}); // the top-level permissions stay empty, whatever an override says
    expect(fs.statSync(path.join(project.outdir, file.path)).mode.toString(8).slice(-3)).toBe('444'); // read-only
  });

  test("projen's lazy values (functions, toJSON) are resolved, with an escape hatch and without", () => {
    const texts = [false, true].map((override) => {
      const { project, wf } = workflow();
      const lazy = (value: string): any => () => value;
      wf.workflow.addJob('raw', {
        runsOn: ['ubuntu-24.04'],
        permissions: {},
        env: { FROM_FUNCTION: lazy('f'), FROM_TOJSON: { toJSON: () => 't' } as any },
        strategy: {}, // rendered as a map of undefined values: written `{}`, as through JSON
        steps: [{ id: 's', name: lazy('S'), run: 'true', with: { input: lazy('w') } }],
      });
      if (override) wf.workflow.file!.addOverride('jobs.raw.timeout-minutes', 5);
      return synthWorkflows(project)['test.yml'];
    });
    for (const text of texts) {
      const job = parseWorkflow(text).jobs.raw;
      expect(job.env).toEqual({ FROM_FUNCTION: 'f', FROM_TOJSON: 't' });
      expect(job.steps).toEqual([{ id: 's', name: 'S', run: 'true', with: { input: 'w' } }]);
      expect(job.strategy).toEqual({});
    }
    expect(parseWorkflow(texts[1]).jobs.raw['timeout-minutes']).toBe(5);
    expect(texts[1].replace('    timeout-minutes: 5\n', '')).toBe(texts[0]);
  });

  test('values that are not plain data (a Date, a Map, null in a list) are resolved as projen resolves them', () => {
    // one per workflow: a single such value anywhere sends the whole content through resolve()
    const withs: [unknown, unknown][] = [
      [new Date(0), '1970-01-01T00:00:00.000Z'],
      [new Map([['k', 'v']]), { k: 'v' }],
      [['a', null, undefined, 'b'], ['a', 'b']],
    ];
    for (const [value, expected] of withs) {
      const { project, wf } = workflow();
      wf.workflow.addJob('raw', { runsOn: ['ubuntu-24.04'], permissions: {}, steps: [{ id: 's', run: 'true', with: { value: value as any } }] });
      expect(parseWorkflow(synthWorkflows(project)['test.yml']).jobs.raw.steps[0].with).toEqual({ value: expected });
    }
  });

  test('a job with projen "tools" is refused (its setup actions are pinned to tags)', () => {
    const { project, wf } = workflow();
    wf.workflow.addJob('t', { runsOn: ['ubuntu-24.04'], permissions: {}, tools: { node: { version: '20' } }, steps: [{ run: 'true' }] });
    expect(() => project.synth()).toThrow(/job "t": "tools" is not supported in a PipelineWorkflow/);
  });

  test('key casing is projen\'s (Case.snake under on:, kebab-case for permissions and defaults)', () => {
    // projen's own helpers, as the oracle (not public API, hence only here).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const projenUtil = require('projen/lib/util');
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const keys = ['workflowDispatch', 'pullRequestTarget', 'force_recreate', 'dry-run', 'idToken', 'someURLValue', 'HTTPServer', 'it\'s', 'x.y', 'ÀbcDéf'];
    for (let i = 0; i < 1000; i++) keys.push(Array.from({ length: 1 + Math.floor(random() * 7) }, () => 'aAb1_-. B\''[Math.floor(random() * 10)]).join(''));
    for (const key of keys) {
      expect([key, Object.keys(snakeCaseKeys({ [key]: 1 }))[0]]).toEqual([key, Object.keys(projenUtil.snakeCaseKeys({ [key]: 1 }))[0]]);
      expect([key, Object.keys(kebabCaseKeys({ [key]: 1 }))[0]]).toEqual([key, Object.keys(projenUtil.kebabCaseKeys({ [key]: 1 }))[0]]);
    }
  });
});
