import * as fs from 'fs';
import * as path from 'path';
import { github, Project } from 'projen';
import { Document, isScalar, parseDocument, Scalar, YAMLMap } from 'yaml';
import {
  ActionPin,
  ActionPins,
  Distributions,
  PipelineWorkflow,
  PublishAuth,
  PypiPublishPipeline,
  PythonReleasePipeline,
  PythonToolchain,
  ReleaseCredentials,
} from '../src';
import { newProject, parseWorkflow, synthWorkflows } from './helpers/project';
import { checkWorkflow, checkWorkflows, formatRuleFindings, RuleFinding, SECURITY_RULES } from './helpers/security-rules';

/** Default release.yml and publish.yml (trusted publishing), and publish.yml with API tokens. */
function synth(make: (p: Project) => void): Record<string, string> {
  const project = newProject();
  make(project);
  const files = synthWorkflows(project);
  fs.rmSync(project.outdir, { recursive: true, force: true });
  return files;
}
const defaults = synth((p) => {
  new PythonReleasePipeline(p);
  new PypiPublishPipeline(p);
});
const RELEASE = defaults['release.yml'];
const PUBLISH = defaults['publish.yml'];
const PUBLISH_TOKENS = synth((p) => new PypiPublishPipeline(p, { auth: PublishAuth.apiTokens() }))['publish.yml'];

/** The open finding of our output (proposed fix in the report of issue 6). */

/** Edits a workflow's YAML document, keeping the comments. */
function edit(text: string, change: (doc: Document) => void): string {
  const doc = parseDocument(text);
  change(doc);
  return doc.toString({ indent: 2, lineWidth: 0 });
}

/** Appends a step to a job; a `uses:` gets the version comment. */
function addStep(doc: Document, jobId: string, step: Record<string, unknown>, version?: string): void {
  const node = doc.createNode(step) as YAMLMap;
  const uses = node.get('uses', true);
  if (version && isScalar(uses)) uses.comment = ` ${version}`;
  doc.addIn(['jobs', jobId, 'steps'], node);
}

/** A scalar with a trailing comment. */
function commented(doc: Document, value: string, comment: string): Scalar {
  const node = doc.createNode(value) as Scalar;
  node.comment = ` ${comment}`;
  return node;
}

function stepIndex(text: string, jobId: string, stepId: string): number {
  const index = parseWorkflow(text).jobs[jobId].steps.findIndex((s) => s.id === stepId);
  if (index < 0) throw new Error(`no step ${stepId} in ${jobId}`);
  return index;
}

/** Findings the broken workflow has that the original did not (by rule and place). */
function newFindings(before: string, after: string): RuleFinding[] {
  const key = (f: RuleFinding) => `${f.rule} ${f.where}`;
  const old = new Set(checkWorkflow(before).map(key));
  return checkWorkflow(after).filter((f) => !old.has(key(f)));
}

describe('our generated workflows follow every rule', () => {
  test('publish.yml (trusted publishing and API tokens): no finding', () => {
    expect(formatRuleFindings(checkWorkflow(PUBLISH))).toBe('');
    expect(formatRuleFindings(checkWorkflow(PUBLISH_TOKENS))).toBe('');
  });

  test('release.yml: no finding (the release credentials live in the release environment)', () => {
    expect(formatRuleFindings(checkWorkflow(RELEASE))).toBe('');
  });

  test('release.yml with other toolchains and App credentials, in a monorepo: same', () => {
    const files = synth((p) => {
      new PythonReleasePipeline(p, { toolchain: PythonToolchain.uv(), packageDir: 'packages/a', distributionName: 'a', credentials: ReleaseCredentials.githubApp(), pythonVersions: ['3.11', '3.12'] });
      new PythonReleasePipeline(p, { toolchain: PythonToolchain.poetry(), packageDir: 'packages/b', distributionName: 'b' });
      new PythonReleasePipeline(p, { toolchain: PythonToolchain.pip(), packageDir: 'packages/c', distributionName: 'c' });
      new PythonReleasePipeline(p, { toolchain: PythonToolchain.hatch(), packageDir: 'packages/d', distributionName: 'd' });
    });
    const findings = checkWorkflows(files);
    expect(formatRuleFindings(findings)).toBe('');
  });

  test('the release job keeps its credentials in a deployment environment (secrets-outside-env)', () => {
    expect(checkWorkflow(RELEASE).filter((f) => f.rule === 'secrets-outside-env')).toEqual([]);
    expect(parseWorkflow(RELEASE).jobs.release.environment).toEqual({ name: 'release' });
  });
});

/** One broken workflow per case: [rule, description, original, break, expected message]. */
const CASES: Array<[string, string, string, (doc: Document) => void, RegExp]> = [
  ['top-level-permissions', 'no top-level permissions', RELEASE, (d) => d.delete('permissions'), /no top-level `permissions:`.*Add `permissions: \{\}`/],
  ['top-level-permissions', 'a scope at the top', RELEASE, (d) => d.setIn(['permissions', 'contents'], 'read'), /top-level `permissions: \{"contents":"read"\}` grants scopes to every job/],
  ['job-permissions', 'a job without permissions', RELEASE, (d) => d.deleteIn(['jobs', 'lint', 'permissions']), /declares no `permissions:`/],
  ['job-permissions', 'write-all', RELEASE, (d) => d.setIn(['jobs', 'lint', 'permissions'], 'write-all'), /`permissions: write-all` grants every scope at once/],
  ['least-privilege', 'a scope no step uses (no token at all)', PUBLISH, (d) => d.setIn(['jobs', 'test-install', 'permissions', 'contents'], 'read'), /grants `contents: read`, but no step can use the GITHUB_TOKEN.*needs no scope/],
  ['least-privilege', 'a scope beyond what checkout needs', RELEASE, (d) => d.setIn(['jobs', 'lint', 'permissions', 'issues'], 'read'), /grants `issues: read`, but the only use of the GITHUB_TOKEN is actions\/checkout/],
  ['least-privilege', 'write where nothing writes', RELEASE, (d) => d.setIn(['jobs', 'validate', 'permissions', 'contents'], commented(d, 'write', 'because')), /grants `contents: write`, but no step writes with the GITHUB_TOKEN.*`contents: read` is enough/],
  ['id-token-only-for-publishing', 'id-token on the verify job', PUBLISH, (d) => d.setIn(['jobs', 'verify', 'permissions', 'id-token'], commented(d, 'write', 'oidc')), /has `id-token: write` but calls no publishing action/],
  ['write-permission-reason', 'id-token without its comment', PUBLISH, (d) => {
    (d.getIn(['jobs', 'publish-pypi', 'permissions', 'id-token'], true) as Scalar).comment = undefined;
  }, /`id-token: write` has no comment/],
  ['no-expressions-in-run', 'an expression in run', RELEASE, (d) => d.setIn(['jobs', 'lint', 'steps', stepIndex(RELEASE, 'lint', 'lint'), 'run'], 'pixi run lint ${{ github.head_ref }}\n'), /`run:` contains `\$\{\{ github\.head_ref \}\}`.*script injection.*`env:`/],
  ['no-expressions-in-run', 'an expression in a github-script script', RELEASE, (d) => {
    addStep(d, 'lint', { name: 'Script', uses: `actions/github-script@${'c'.repeat(40)}`, with: { script: 'console.log("${{ github.event.issue.title }}")' } }, 'v7.0.1');
  }, /github-script `script:` contains/],
  ['pinned-uses', 'a tag ref', RELEASE, (d) => d.setIn(['jobs', 'lint', 'steps', 0, 'uses'], 'actions/checkout@v4'), /`uses: actions\/checkout@v4` is not pinned to a full 40-character commit SHA/],
  ['pinned-uses', 'a SHA without its comment', RELEASE, (d) => {
    (d.getIn(['jobs', 'lint', 'steps', 0, 'uses'], true) as Scalar).comment = undefined;
  }, /has no comment; write the release tag the SHA carries as `# vX.Y.Z`/],
  ['pinned-uses', 'a comment that is not a version', RELEASE, (d) => {
    (d.getIn(['jobs', 'lint', 'steps', 0, 'uses'], true) as Scalar).comment = ' main';
  }, /has the comment "# main"/],
  ['pinned-uses', 'a container by tag', RELEASE, (d) => d.addIn(['jobs', 'lint', 'steps'], { name: 'Container', uses: 'docker://alpine:3.20' }), /the container "docker:\/\/alpine:3.20" is not pinned by digest/],
  ['pin-version-matches', 'a catalog SHA with another version', RELEASE, (d) => {
    (d.getIn(['jobs', 'lint', 'steps', 0, 'uses'], true) as Scalar).comment = ' v4.2.2';
  }, new RegExp(`is ${ActionPins.CHECKOUT.version.replace(/\./g, '\\.')} in the catalog, but its comment says v4\\.2\\.2`)],
  ['known-vulnerable-actions', 'pypi-publish below v1.13.0', PUBLISH, (d) => {
    const at = stepIndex(PUBLISH, 'publish-pypi', 'publish');
    d.setIn(['jobs', 'publish-pypi', 'steps', at, 'uses'], commented(d, `pypa/gh-action-pypi-publish@${'d'.repeat(40)}`, 'v1.12.4'));
  }, /pypa\/gh-action-pypi-publish v1\.12\.4 is affected by GHSA-vxmw-7h4f-hqxh; pin v1\.13\.0 or later/],
  ['persist-credentials', 'a checkout that keeps its token', RELEASE, (d) => d.setIn(['jobs', 'lint', 'steps', 0, 'with', 'persist-credentials'], true), /without `persist-credentials: false` leaves the GITHUB_TOKEN on disk/],
  ['persist-credentials', 'a checkout without the input', RELEASE, (d) => d.deleteIn(['jobs', 'test', 'steps', 0, 'with', 'persist-credentials']), /this job never runs git push/],
  ['artifact-scope', 'uploading the workspace', RELEASE, (d) => d.setIn(['jobs', 'test', 'steps', stepIndex(RELEASE, 'test', 'upload-coverage'), 'with', 'path'], '.'), /uploads "\.", which takes in the checkout's \.git/],
  ['no-cache-in-release-jobs', 'pixi cache on in the build job', RELEASE, (d) => d.setIn(['jobs', 'build', 'steps', stepIndex(RELEASE, 'build', 'setup-pixi'), 'with', 'cache'], true), /prefix-dev\/setup-pixi has `cache: true`, but it builds what gets released \(the artifact "release-files" that a releasing job downloads\).*cache poisoning/],
  ['no-cache-in-release-jobs', 'pixi cache left at its default in the build job', RELEASE, (d) => d.deleteIn(['jobs', 'build', 'steps', stepIndex(RELEASE, 'build', 'setup-pixi'), 'with', 'cache']), /caches by default and `cache: false` is not set/],
  ['no-project-code-with-secrets', 'the build in the release job', RELEASE, (d) => d.setIn(['jobs', 'release', 'steps', stepIndex(RELEASE, 'release', 'checksums'), 'run'], 'pixi run build\n'), /runs `pixi` in a job that reads secrets\.RELEASE_PAT: the project's code/],
  ['no-project-code-with-secrets', 'a toolchain set up in the release job', RELEASE, (d) => addStep(d, 'release', { name: 'Set up Python', uses: ActionPins.SETUP_PYTHON.ref }, ActionPins.SETUP_PYTHON.version), /sets up a toolchain \(actions\/setup-python\)/],
  ['no-cache-in-release-jobs', 'a pip cache in a release-triggered workflow', PUBLISH, (d) => d.setIn(['jobs', 'verify', 'steps', stepIndex(PUBLISH, 'verify', 'setup-python'), 'with', 'cache'], 'pip'), /actions\/setup-python has `cache: pip`, but the workflow runs on a release or tag/],
  ['no-cache-in-release-jobs', 'actions/cache in a release-triggered workflow', PUBLISH, (d) => {
    addStep(d, 'verify', { name: 'Cache', uses: `actions/cache@${'e'.repeat(40)}`, with: { path: '~/.cache', key: 'k' } }, 'v4.2.0');
  }, /it uses actions\/cache, but the workflow runs on a release or tag/],
  ['named', 'a workflow without a name', RELEASE, (d) => d.delete('name'), /the workflow has no `name:`/],
  ['named', 'a job without a name', RELEASE, (d) => d.deleteIn(['jobs', 'lint', 'name']), /the job has no `name:`/],
  ['concurrency', 'no concurrency', RELEASE, (d) => d.delete('concurrency'), /no `concurrency:`; two runs could release at once/],
  ['concurrency', 'no explicit cancel-in-progress', RELEASE, (d) => d.deleteIn(['concurrency', 'cancel-in-progress']), /does not say `cancel-in-progress`/],
  ['concurrency', 'a job group without cancel-in-progress', RELEASE, (d) => d.setIn(['jobs', 'lint', 'concurrency'], 'lint'), /`concurrency: "lint"` does not say `cancel-in-progress`/],
  ['dangerous-triggers', 'pull_request_target', RELEASE, (d) => d.setIn(['on', 'pull_request_target'], { types: ['opened'] }), /`on: pull_request_target` runs with the base repository's secrets/],
  ['dangerous-triggers', 'workflow_run', PUBLISH, (d) => d.setIn(['on', 'workflow_run'], { workflows: ['Release'] }), /`on: workflow_run`/],
  ['secrets-inherit', 'secrets: inherit', RELEASE, (d) => d.setIn(['jobs', 'call'], { name: 'Call', uses: './.github/workflows/other.yml', permissions: {}, secrets: 'inherit' }), /`secrets: inherit` hands every secret/],
  ['overprovisioned-secrets', 'toJSON(secrets)', RELEASE, (d) => d.setIn(['jobs', 'release', 'steps', stepIndex(RELEASE, 'release', 'push'), 'env', 'ALL'], '${{ toJSON(secrets) }}'), /`\$\{\{ toJSON\(secrets\) \}\}` exposes the whole secrets context/],
  ['overprovisioned-secrets', 'secrets[...]', RELEASE, (d) => d.setIn(['jobs', 'release', 'steps', stepIndex(RELEASE, 'release', 'push'), 'env', 'ONE'], "${{ secrets[format('{0}_PAT', 'RELEASE')] }}"), /exposes the whole secrets context/],
  ['unredacted-secrets', 'fromJSON(secrets.X)', RELEASE, (d) => d.setIn(['jobs', 'release', 'steps', stepIndex(RELEASE, 'release', 'push'), 'env', 'PART'], '${{ fromJSON(secrets.CONFIG).token }}'), /takes a part of a secret, which GitHub does not mask/],
  ['secrets-in-step-scope', 'a secret in job env', RELEASE, (d) => d.setIn(['jobs', 'release', 'env', 'TOKEN'], '${{ secrets.RELEASE_PAT }}'), /`env\.TOKEN` puts a secret into the environment of every step/],
  ['secrets-outside-env', 'a token-publishing job without its environment', PUBLISH_TOKENS, (d) => d.deleteIn(['jobs', 'publish-pypi', 'environment']), /reads secrets\.PYPI_API_TOKEN but runs in no deployment environment/],
  ['insecure-commands', 'ACTIONS_ALLOW_UNSECURE_COMMANDS', RELEASE, (d) => d.setIn(['jobs', 'lint', 'env'], { ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true' }), /`ACTIONS_ALLOW_UNSECURE_COMMANDS` turns the deprecated/],
  ['insecure-commands', '::set-env', RELEASE, (d) => d.setIn(['jobs', 'lint', 'steps', stepIndex(RELEASE, 'lint', 'lint'), 'run'], 'echo "::set-env name=A::b"\n'), /uses the `::set-env`\/`::add-path` workflow commands/],
  ['github-env', 'an untrusted value into $GITHUB_ENV', RELEASE, (d) => {
    d.addIn(['jobs', 'lint', 'steps'], { name: 'Env', env: { REF: '${{ github.head_ref }}' }, run: 'echo "REF=$REF" >> "$GITHUB_ENV"\n' });
  }, /writes to \$GITHUB_ENV\/\$GITHUB_PATH while it receives REF from an expression others can influence/],
  ['use-trusted-publishing', 'a password next to id-token', PUBLISH, (d) => d.setIn(['jobs', 'publish-pypi', 'steps', stepIndex(PUBLISH, 'publish-pypi', 'publish'), 'with', 'password'], '${{ secrets.PYPI_API_TOKEN }}'), /sets `password:` in a job that has `id-token: write`.*attestations off/],
  ['isolated-publish-job', 'a script in the publishing job', PUBLISH, (d) => d.addIn(['jobs', 'publish-pypi', 'steps'], { name: 'Extra', run: 'ls dist\n' }), /runs in the publishing job, where it could mint PyPI upload tokens/],
  ['isolated-publish-job', 'two uploads in one job', PUBLISH, (d) => {
    const publish = parseWorkflow(PUBLISH).jobs['publish-pypi'].steps[stepIndex(PUBLISH, 'publish-pypi', 'publish')];
    addStep(d, 'publish-pypi', { ...publish, id: 'again' }, ActionPins.PYPI_PUBLISH.version);
  }, /calls pypa\/gh-action-pypi-publish 2 times; one call per job/],
  ['unsound-condition', 'text outside the braces', RELEASE, (d) => d.setIn(['jobs', 'release', 'steps', stepIndex(RELEASE, 'release', 'delete-existing-release'), 'if'], '${{ inputs.force_recreate }}\n'), /has text outside its \$\{\{ \}\}, so it is a non-empty string and always true/],
  ['unsound-condition', 'two fenced expressions', RELEASE, (d) => d.setIn(['jobs', 'lint', 'if'], '${{ always() }} && ${{ false }}'), /always true/],
];

describe('each rule catches a deliberately broken workflow, and only that rule fires', () => {
  test.each(CASES)('%s: %s', (rule, _what, original, change, message) => {
    const broken = edit(original, change);
    const found = newFindings(original, broken);
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((f) => f.rule)).toEqual(found.map(() => rule));
    expect(found.map((f) => f.message).join('\n')).toMatch(message);
  });

  test('every rule has a case', () => {
    expect(new Set(CASES.map(([rule]) => rule))).toEqual(new Set(SECURITY_RULES.map((r) => r.id)));
    expect(new Set(SECURITY_RULES.map((r) => r.id)).size).toBe(SECURITY_RULES.length);
  });
});

describe('the rules are precise', () => {
  test.each<[string, string, (doc: Document) => void]>([
    ['a job that pushes may keep its checkout credentials', RELEASE, (d) => d.setIn(['jobs', 'release', 'steps', 0, 'with', 'persist-credentials'], true)],
    ['check jobs may cache in a dispatch-triggered workflow', RELEASE, (d) => d.setIn(['jobs', 'lint', 'steps', 1, 'with', 'cache'], true)],
    ['a constant written to $GITHUB_ENV', RELEASE, (d) => d.addIn(['jobs', 'lint', 'steps'], { name: 'TZ', env: { REF: '${{ github.head_ref }}' }, run: 'echo "TZ=UTC" >> "$GITHUB_ENV"\n' })],
    ['contents: read for a step given github.token', PUBLISH, (d) => d.addIn(['jobs', 'test-install', 'steps'], { name: 'Look', env: { GH_TOKEN: '${{ github.token }}' }, run: 'gh release view "$TAG"\n' })],
    ['an unknown action may use any scope', RELEASE, (d) => {
      addStep(d, 'lint', { name: 'Label', uses: `actions/labeler@${'f'.repeat(40)}` }, 'v5.0.0');
      d.setIn(['jobs', 'lint', 'permissions', 'pull-requests'], commented(d, 'write', 'label the pull request'));
    }],
    ['a local action needs no pin', RELEASE, (d) => d.addIn(['jobs', 'lint', 'steps'], { name: 'Local', uses: './.github/actions/setup' })],
    ['one bare condition', RELEASE, (d) => d.setIn(['jobs', 'lint', 'if'], "github.ref == 'refs/heads/main'")],
    ['API tokens without id-token (the documented fallback)', PUBLISH_TOKENS, () => undefined],
  ])('no finding: %s', (_what, original, change) => {
    expect(formatRuleFindings(newFindings(original, edit(original, change)))).toBe('');
  });
});

describe('action pins (verifying what src does)', () => {
  /** A project that uses every action of the catalog. */
  function everyAction(project: Project): void {
    new PythonReleasePipeline(project, { packageDir: 'packages/a', distributionName: 'a', credentials: ReleaseCredentials.githubApp() });
    new PythonReleasePipeline(project, { packageDir: 'packages/b', distributionName: 'b', toolchain: PythonToolchain.uv() });
    new PypiPublishPipeline(project, { packageDir: 'packages/a', distributionName: 'a' });
    // compiled packages: cibuildwheel and maturin-action
    new PythonReleasePipeline(project, { packageDir: 'packages/c', distributionName: 'c', toolchain: PythonToolchain.pip(), distributions: Distributions.cibuildwheel({ platforms: ['linux'] }) });
    new PythonReleasePipeline(project, { packageDir: 'packages/d', distributionName: 'd', toolchain: PythonToolchain.pip(), distributions: Distributions.maturin({ targets: ['x86_64-unknown-linux-gnu'] }) });
  }

  test('every uses: in the output is a catalog pin with its version comment', () => {
    const files = synth(everyAction);
    const lines = Object.values(files).flatMap((t) => t.split('\n')).filter((l) => /^\s*(- )?uses:/.test(l));
    const refs = new Set(lines.map((l) => l.replace(/^\s*(- )?uses: /, '')));
    expect(refs).toEqual(new Set(ActionPins.all().map((p) => `${p.ref} # ${p.version}`)));
  });

  test('no commit SHA is written anywhere in src but the catalog', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts') && !file.endsWith(path.join('catalog', 'catalog.ts')) && /\b[0-9a-f]{40}\b/.test(fs.readFileSync(file, 'utf-8'))) offenders.push(file);
      }
    };
    walk(path.join(__dirname, '..', 'src'));
    expect(offenders).toEqual([]);
  });

  test('overriding every pin with PipelineWorkflow.pinAction wins everywhere, comments included', () => {
    const overrides = ActionPins.all().map((p, i) => ActionPin.of(p.name, i.toString(16).repeat(40).slice(0, 40), `v9.${i}.0`));
    const files = synth((project) => {
      everyAction(project);
      for (const pin of overrides) PipelineWorkflow.pinAction(project, pin);
    });
    const text = Object.values(files).join('\n');
    for (const pin of ActionPins.all()) expect(text).not.toContain(pin.sha);
    for (const pin of overrides) expect(text).toContain(`uses: ${pin.ref} # ${pin.version}\n`);
    expect(formatRuleFindings(checkWorkflows(files).filter((f) => f.rule !== 'secrets-outside-env'))).toBe('');
  });

  test.each(ActionPins.all().map((p) => p.name))('an override of %s that is not a SHA is warned about, and the checker flags it', (name) => {
    const project = newProject();
    everyAction(project);
    github.GitHub.of(project)!.actions.set(name, `${name}@v1`);
    const warn = jest.spyOn(project.logger, 'warn').mockImplementation(() => {});
    const files = synthWorkflows(project);
    fs.rmSync(project.outdir, { recursive: true, force: true });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`uses "${name}@v1", which is not pinned to a full commit SHA`));
    expect(checkWorkflows(files).filter((f) => f.rule === 'pinned-uses').map((f) => f.message).join('\n'))
      .toContain(`\`uses: ${name}@v1\` is not pinned`);
  });

  // An override by SHA through projen's own API carries no version comment (src cannot know
  // it) and is not warned about today; the proposed fix warns, pointing to pinAction().
  test('an override by SHA without a known version is warned about', () => {
    const project = newProject();
    everyAction(project);
    github.GitHub.of(project)!.actions.set('actions/checkout', `actions/checkout@${'b'.repeat(40)}`);
    const warn = jest.spyOn(project.logger, 'warn').mockImplementation(() => {});
    synthWorkflows(project);
    fs.rmSync(project.outdir, { recursive: true, force: true });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('actions/checkout'));
  });
});

describe('steps a user adds where the rules forbid them (proposed guards, see the report)', () => {
  // These configurations can be written through the public API today and produce a workflow the
  // rules reject; the property test keeps user steps out of publishing jobs and caches out of
  // release jobs for that reason. Once src refuses them, these pass: make them plain tests.
  test('a step added to a publishing job is refused (isolated-publish-job)', () => {
    const project = newProject();
    const publish = new PypiPublishPipeline(project);
    expect(() => {
      publish.publishPypiJob.addStep('inspect', { name: 'Look at the files', run: 'ls -l dist' });
      synthWorkflows(project);
    }).toThrow(/publish-pypi.*inspect/);
  });

  test('a cache added to the build job is refused (no-cache-in-release-jobs)', () => {
    const project = newProject();
    const release = new PythonReleasePipeline(project);
    expect(() => {
      release.buildJob.insertStepAfter('setup-pixi', 'cache', {
        name: 'Cache', uses: `actions/cache@${'e'.repeat(40)}`, with: { path: '~/.cache/pip', key: 'pip' },
      });
      synthWorkflows(project);
    }).toThrow(/step "cache" of the build job uses a cache/);
  });
});

describe('the checker reads the YAML text', () => {
  test('comments, not just values: a write permission and a pin lose their comments', () => {
    const stripped = RELEASE.replace(/ # v\d+\.\d+\.\d+$/gm, '');
    expect(checkWorkflow(stripped).filter((f) => f.rule === 'pinned-uses').length).toBeGreaterThan(5);
    const parsedSame = JSON.stringify(parseDocument(stripped).toJS()) === JSON.stringify(parseDocument(RELEASE).toJS());
    expect(parsedSame).toBe(true);
  });

  test('invalid YAML is a finding, not a crash', () => {
    expect(checkWorkflow('name: [unclosed\n')).toEqual([expect.objectContaining({ rule: 'yaml' })]);
  });

  test('every rule is documented', () => {
    for (const rule of SECURITY_RULES) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.summary.length).toBeGreaterThan(20);
    }
    expect(isScalar(parseDocument('a: 1').get('a', true))).toBe(true);
  });
});
