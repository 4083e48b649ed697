import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ACTIONS, PYPI_PUBLISH_BUNDLES, TOOLS } from '../src/catalog/catalog';
import { installedVersion, pinnedVenv, twineCheckStrict } from './helpers/real/bundled-twine';
import { copyExample, DistMetadata, distributions, EXAMPLE_PACKAGES, readMetadata } from './helpers/real/example-packages';
import { describeWithTools, havePythonModule, TOOLS_BIN, TOOLS_PYTHON } from './helpers/tools';

/**
 * The pin catalog, checked against what it claims. Above all: the PyPI action we pin runs its
 * own `twine check` before it uploads, with the twine and packaging it bundles. If those cannot
 * read what today's default build backends write, every release fails after its tag and GitHub
 * release exist (pypa/gh-action-pypi-publish v1.13.0 and Metadata-Version 2.5, hatchling >= 1.32).
 * So the example packages are built with the tools environment's current backends and checked
 * with the pinned tag's bundled versions; a pin bump that cannot read them fails here.
 */

describe('the pin catalog', () => {
  test.each(Object.entries(ACTIONS))('%s has a full commit SHA, an exact release tag and a source', (_key, action) => {
    expect(action.name).toMatch(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/);
    expect(action.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(action.version).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(action.source.trim()).not.toBe('');
  });

  test.each(Object.entries(TOOLS))('tool %s has an exact version and a source', (_key, t) => {
    expect(t.version).toMatch(/^v?\d+\.\d+\.\d+$/);
    expect(t.source.trim()).not.toBe('');
  });

  test('the pinned PyPI action tag has a record of the twine and packaging it bundles', () => {
    const bundle = PYPI_PUBLISH_BUNDLES[ACTIONS.pypiPublish.version];
    expect(bundle).toBeDefined();
    expect(bundle.versions.twine).toMatch(/^\d+\.\d+\.\d+$/);
    expect(bundle.versions.packaging).toMatch(/^\d+(\.\d+)+$/);
    expect(bundle.source.trim()).not.toBe('');
  });

  test('every bundle record is of a release tag with exact versions and a source', () => {
    for (const [tag, bundle] of Object.entries(PYPI_PUBLISH_BUNDLES)) {
      expect(tag).toMatch(/^v\d+\.\d+\.\d+$/);
      for (const v of Object.values(bundle.versions)) expect(v).toMatch(/^\d+(\.\d+)+$/);
      expect(bundle.source.trim()).not.toBe('');
    }
  });
});

/** The tag pinned before v1.14.2, whose bundled twine 6.1.0 / packaging 25.0 reject Metadata 2.5. */
const BROKEN_TAG = 'v1.13.0';

describeWithTools('the pinned PyPI action\'s own twine check accepts what today\'s build backends write', {
  'build (tools)': havePythonModule('build'),
  'hatchling (tools)': havePythonModule('hatchling'),
  'setuptools (tools)': havePythonModule('setuptools'),
  'uv_build (tools)': havePythonModule('uv_build'),
  'poetry-core (tools)': havePythonModule('poetry.core'),
}, () => {
  let root: string;
  let files: string[];
  let metadata: DistMetadata[];

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-pin-catalog-'));
    const dist = path.join(root, 'dist');
    for (const pkg of Object.values(EXAMPLE_PACKAGES)) {
      const dir = copyExample(pkg, path.join(root, pkg.fixture));
      // The backends of the tools environment (today's releases), as the release job's build
      // would install them; --no-isolation so that exactly those versions build (uv_build finds
      // its binary on PATH, as in an isolated build environment).
      const r = spawnSync(TOOLS_PYTHON, ['-m', 'build', '--no-isolation', '--outdir', dist, '.'], {
        cwd: dir, encoding: 'utf-8', env: { PATH: `${TOOLS_BIN}:${process.env.PATH}`, HOME: root, LANG: 'C.UTF-8' },
      });
      if (r.status !== 0) throw new Error(`building ${pkg.fixture} (${pkg.backend}) failed:\n${r.stdout}${r.stderr}`);
    }
    files = distributions(dist);
    metadata = readMetadata(files);
    // eslint-disable-next-line no-console
    console.log(`built with today's backends:\n${metadata.map((m) => `  ${path.basename(m.file)}: Metadata-Version ${m.metadataVersion}`).join('\n')}`);
  }, 120_000);

  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('every default backend built a wheel and an sdist; hatchling writes Metadata-Version 2.5', () => {
    for (const pkg of Object.values(EXAMPLE_PACKAGES)) {
      const own = metadata.filter((m) => m.name === pkg.name);
      expect(own.map((m) => path.basename(m.file)).sort()).toEqual([`${pkg.fileName}-${pkg.version}-py3-none-any.whl`, `${pkg.fileName}-${pkg.version}.tar.gz`]);
    }
    // the case that broke releases: without a 2.5 file this test would prove nothing
    expect(metadata.filter((m) => m.name === EXAMPLE_PACKAGES.hatch.name).map((m) => m.metadataVersion)).toEqual(['2.5', '2.5']);
  });

  /** Each file's verdict from twine check --strict with a tag's bundled versions. */
  function checkAll(tag: string): Array<{ file: string; status: number | null; output: string }> {
    const bundle = PYPI_PUBLISH_BUNDLES[tag];
    const python = pinnedVenv(bundle.versions);
    expect(installedVersion(python, 'twine')).toBe(bundle.versions.twine);
    expect(installedVersion(python, 'packaging')).toBe(bundle.versions.packaging);
    const verdicts = files.map((file) => ({ file: path.basename(file), ...twineCheckStrict(python, file) }));
    // eslint-disable-next-line no-console
    console.log(`${ACTIONS.pypiPublish.name}@${tag} (${JSON.stringify(bundle.versions)}), twine check --strict:\n${verdicts.map((v) => `  ${v.file}: ${v.status === 0 ? 'PASSED' : v.output.split('\n').pop()}`).join('\n')}`);
    return verdicts;
  }

  test(`the pinned tag's bundled twine and packaging pass twine check --strict on every file (${ACTIONS.pypiPublish.name}@${ACTIONS.pypiPublish.version})`, () => {
    const { name, version } = ACTIONS.pypiPublish;
    const failed = checkAll(version).filter((v) => v.status !== 0);
    if (failed.length > 0) {
      throw new Error(`${name}@${version} bundles ${JSON.stringify(PYPI_PUBLISH_BUNDLES[version].versions)}, whose twine check --strict rejects what today's default build backends write, so its pre-upload check would fail the release. Pin a release that bundles a newer twine and packaging.\n${failed.map((v) => `${v.file}:\n${v.output}`).join('\n')}`);
    }
  }, 300_000);

  test(`${BROKEN_TAG}'s bundled twine and packaging reject hatchling's Metadata-Version 2.5 (the check catches a stale pin)`, () => {
    expect(PYPI_PUBLISH_BUNDLES[BROKEN_TAG].versions).toEqual({ twine: '6.1.0', packaging: '25.0' });
    const verdicts = checkAll(BROKEN_TAG);
    const hatchling = verdicts.filter((v) => v.file.startsWith(`${EXAMPLE_PACKAGES.hatch.fileName}-`));
    expect(hatchling).toHaveLength(2);
    for (const v of hatchling) {
      expect(v.status).not.toBe(0);
      expect(v.output).toMatch(/InvalidDistribution: Invalid distribution metadata: '2\.5' is not a valid metadata version/);
    }
  }, 300_000);
});
