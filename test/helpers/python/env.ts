import { TOOLS_BIN } from '../tools';

/** Settings through which this machine's pip or uv configuration could pick another index or package. */
const INDEX_SETTINGS = [
  'PIP_FIND_LINKS', 'PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_CONSTRAINT', 'PIP_REQUIRE_VIRTUALENV', 'PIP_NO_INDEX',
  'UV_INDEX', 'UV_INDEX_URL', 'UV_DEFAULT_INDEX', 'UV_EXTRA_INDEX_URL', 'UV_FIND_LINKS', 'UV_CONSTRAINT', 'UV_OVERRIDE',
  'UV_NO_INDEX', 'UV_OFFLINE', 'PYTHONPATH', 'PYTHONHOME', 'VIRTUAL_ENV',
];

/**
 * The environment for the Python side of the tests: PyPI only (no pip.conf, no find-links, no
 * uv.toml index), the pinned tools first on PATH (so `python3` is the tools environment's, not the
 * user's), and without jsii's end-of-life warning for this machine's node.
 */
export function pythonEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of INDEX_SETTINGS) delete env[name];
  return {
    ...env,
    PATH: `${TOOLS_BIN}:${process.env.PATH}`,
    PIP_CONFIG_FILE: '/dev/null',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    UV_NO_CONFIG: '1',
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: process.versions.node.split('.')[0],
    ...extra,
  };
}
