/**
 * The catalog: every outside action and tool version the generated workflows use, with the source
 * that confirms it. This is the one place to change a pin or a default tool version; `ActionPins`
 * and the toolchains read from here, and the tests check each entry against what it claims (for
 * the PyPI action, that its bundled twine accepts what today's build backends write).
 */

/** An action pinned to a commit, with where the pin was confirmed. */
export interface ActionRecord {
  /** `owner/repo`. */
  readonly name: string;
  /** The full commit SHA of the tag (the peeled `^{}` commit of an annotated tag). */
  readonly sha: string;
  /** The release tag. */
  readonly version: string;
  /** Where the SHA and tag were confirmed. */
  readonly source: string;
}

/** The tools an action bundles (for the PyPI action: what its pre-upload check runs). */
export interface BundledTools {
  /** Package name to exact version, from the action's `requirements/runtime.txt` at the tag. */
  readonly versions: { readonly [pkg: string]: string };
  /** Where the versions were read. */
  readonly source: string;
}

/** A tool version the workflows install. */
export interface ToolRecord {
  /** The exact version. */
  readonly version: string;
  /** Where it was confirmed (its registry page, release notes). */
  readonly source: string;
}

export const ACTIONS = {
  checkout: {
    name: 'actions/checkout',
    sha: '3d3c42e5aac5ba805825da76410c181273ba90b1',
    version: 'v7.0.1',
    source: 'projen 0.103.25 ActionRefs.ACTIONS_CHECKOUT; tag in the fetched actions/checkout repository',
  },
  uploadArtifact: {
    name: 'actions/upload-artifact',
    sha: '043fb46d1a93c77aae656e7c1c64a875d1fc6a0a',
    version: 'v7.0.1',
    source: 'projen 0.103.25 ActionRefs.ACTIONS_UPLOAD_ARTIFACT; the fetched snapshot ends at v7.0.0 (bbbca2d), v7.0.1 = 043fb46 per renovate bumps '
      + '(thomhurst/TUnit#5495, Ardulink/Ardulink-2#1008) and many pins',
  },
  downloadArtifact: {
    name: 'actions/download-artifact',
    sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c',
    version: 'v8.0.1',
    source: 'projen 0.103.25 ActionRefs.ACTIONS_DOWNLOAD_ARTIFACT; tag v8.0.1 (lightweight, 2026-03-11) in the fetched actions/download-artifact repository',
  },
  setupPython: {
    name: 'actions/setup-python',
    sha: '5fda3b95a4ea91299a34e894583c3862153e4b97',
    version: 'v7.0.0',
    source: 'tag v7.0.0 in the fetched actions/setup-python repository',
  },
  createGithubAppToken: {
    name: 'actions/create-github-app-token',
    sha: '1b10c78c7865c340bc4f6099eb2f838309f1e8c3',
    version: 'v3.1.1',
    source: 'tag v3.1.1 in the fetched actions/create-github-app-token repository (client-id input since v3.1.0, app-id deprecated)',
  },
  setupPixi: {
    name: 'prefix-dev/setup-pixi',
    sha: '5185adfbffb4bd703da3010310260805d89ebb11',
    version: 'v0.9.6',
    source: 'tag v0.9.6 in the fetched prefix-dev/setup-pixi repository',
  },
  setupUv: {
    name: 'astral-sh/setup-uv',
    sha: 'c18668ad3cf93ea998bef934396af7bb5c839dc7',
    version: 'v10.2.0',
    source: 'the fetched snapshot ends at v10.0.1 (20cfd1b, HEAD 19b4d1e 2026-08-20); v10.2.0 (2026-09-21, lightweight tag) = c18668a per many independent pins '
      + '(e.g. "the published v10.2.0 tag" tables and dependabot bumps) and the v10.1.0 release notes (renovate schaurian/schautrack#564); '
      + 'v10.1.0 fixes no_proxy/NO_PROXY being ignored (astral-sh/setup-uv#1034: self-hosted runners on GHE could not reach their own server), minor releases with no input removed',
  },
  pypiPublish: {
    name: 'pypa/gh-action-pypi-publish',
    sha: 'dc37677b2e1c63e2034f94d8a5b11f265b73ba33',
    version: 'v1.14.2',
    source: 'the fetched snapshot ends at v1.8.14; v1.14.2 = dc37677 per portainer-mcp#104 (tag dereferenced) and pypa/cibuildwheel\'s pin; '
      + 'it fixes Metadata-Version 2.5 uploads (livekit/agents#6836, launchdarkly/python-server-sdk#511, strands-labs/robots#3837, deepgram/cli#94 moved from ed0c539 = v1.13.0)',
  },
  attest: {
    name: 'actions/attest',
    sha: '1e69f48acb82d1966a394da916b4c1698aa569d6',
    version: 'v4.2.2',
    source: 'tag v4.2.2 in the fetched actions/attest repository (2026-08-04); actions/attest-build-provenance v4 is a wrapper of it and its README recommends actions/attest',
  },
  cibuildwheel: {
    name: 'pypa/cibuildwheel',
    sha: '1828c10ab37f080699c7b81cea34097c684a7074',
    version: 'v4.2.0',
    source: 'tag v4.2.0 (lightweight, 2026-08-04) in the fetched pypa/cibuildwheel repository, its newest tag (snapshot HEAD 8832cf6, 2026-08-18); '
      + 'a composite action: actions/setup-python without a cache, then pip installs cibuildwheel from the action\'s own checkout. '
      + 'PyPI lists cibuildwheel 4.3.5 (2026-10), whose tag SHA no snapshot confirms; no report found of a v4.2.0 failure fixed since',
  },
  maturinAction: {
    name: 'PyO3/maturin-action',
    sha: 'e83996d129638aa358a18fbd1dfb82f0b0fb5d3b',
    version: 'v1.51.0',
    source: 'tag v1.51.0 (annotated 3e2bdf6, peeled e83996d, 2026-04-09) in the fetched PyO3/maturin-action repository, its newest tag (snapshot HEAD 6df80d7, 2026-05-17); '
      + 'action.yml at the tag: sccache defaults to "false" (true would use the GitHub Actions cache); without maturin-version it downloads the latest maturin, '
      + 'and it checks no hash of that download (unreleased #442 adds one), so the pipelines pin maturin-version',
  },
} satisfies { [key: string]: ActionRecord };

/**
 * What `pypa/gh-action-pypi-publish` bundles at each tag we have pinned or may pin: its pre-upload
 * `twine check` runs these. The test suite installs them and checks the distributions that
 * today's build backends write; a pin whose twine rejects them fails the suite.
 */
export const PYPI_PUBLISH_BUNDLES: { readonly [version: string]: BundledTools } = {
  'v1.13.0': {
    versions: { twine: '6.1.0', packaging: '25.0' },
    source: 'packaging 25.0: strands-labs/robots#3837 (requirements/runtime.txt at v1.13.0); twine 6.1.0: not read at the tag, '
      + 'bracketed by the bump to 6.1.0 before v1.12.4 (pypa/gh-action-pypi-publish#325) and v1.14.1 still bundling 6.1.0 '
      + '(launchdarkly/python-server-sdk#511); deepgram/cli#94 reports this exact pin (ed0c539) failing on Metadata 2.5',
  },
  'v1.14.2': {
    versions: { twine: '7.0.0', packaging: '26.2' },
    source: 'requirements/runtime.txt read at commit dc37677 (livekit/agents#6836, launchdarkly/python-server-sdk#511)',
  },
};

/**
 * The tool versions the workflows install by default: the same versions the test suite runs
 * (tools/requirements.in; a test checks that they agree).
 */
export const TOOLS = {
  twine: { version: '7.0.0', source: 'https://pypi.org/project/twine/7.0.0/ (reads Metadata 2.5)' },
  gitCliff: { version: '2.14.2', source: 'https://pypi.org/project/git-cliff/2.14.2/' },
  uv: { version: '0.13.9', source: 'https://pypi.org/project/uv/0.13.9/' },
  hatch: { version: '1.18.2', source: 'https://pypi.org/project/hatch/1.18.2/' },
  poetry: { version: '2.5.1', source: 'https://pypi.org/project/poetry/2.5.1/' },
  build: { version: '1.6.1', source: 'https://pypi.org/project/build/1.6.1/' },
  maturin: { version: '1.16.0', source: 'https://pypi.org/project/maturin/1.16.0/ (2026-10; the tools environment builds the test wheels with it)' },
  pixi: { version: 'v0.77.0', source: 'tag v0.77.0 (e3c26fb, 2026-08-19) in the fetched prefix-dev/pixi repository; reads lock format 7' },
} satisfies { [key: string]: ToolRecord };

/**
 * The newest `pixi.lock` format each pixi release reads: format 7 arrived in pixi 0.68.0 (its
 * changelog; older releases fail with "Lock-file version 7 is newer than supported"). Entries are
 * `[first pixi version, highest lock format it reads]`, oldest first.
 */
export const PIXI_LOCK_FORMATS: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0', 6],
  ['0.68.0', 7],
];

/**
 * The CPython versions the pinned cibuildwheel builds (its README table and build identifier
 * table at v4.2.0): 3.9 to 3.15, free-threaded (`t`) from 3.14. 3.15 is built by default since
 * v4.2.0 (3.15.0rc1, ABI-stable). Defaults: the versions not past their end of life.
 */
export const CIBUILDWHEEL_PYTHONS = {
  supported: ['3.9', '3.10', '3.11', '3.12', '3.13', '3.14', '3.14t', '3.15', '3.15t'],
  defaults: ['3.10', '3.11', '3.12', '3.13', '3.14', '3.15'],
  source: 'README.md and docs/options.md (build identifiers) at pypa/cibuildwheel v4.2.0; docs/changelog.md v4.2.0 for 3.15',
};
