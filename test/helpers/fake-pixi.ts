import { TOOLS_PYTHON } from './tools';

/**
 * A stand-in for pixi, which cannot be installed here (it is not on PyPI): `pixi run <task>` runs
 * the task of pixi.toml with bash; `pixi lock` writes pixi.lock as pixi does for an editable
 * project (its format 6 header and the project's entry with its version and the sha256 of
 * pyproject.toml), with the tools environment's Python. Nothing else.
 */
export const FAKE_PIXI = `#!/usr/bin/env bash
# Stand-in for pixi (not installable here): "pixi run <task>" and "pixi lock", nothing else.
set -euo pipefail
case "\${1:-}" in
  run)
    cmd=$(${TOOLS_PYTHON} -c 'import sys, tomllib; print(tomllib.load(open("pixi.toml", "rb"))["tasks"][sys.argv[1]])' "$2")
    exec bash -c "$cmd" ;;
  lock)
    exec ${TOOLS_PYTHON} - <<'PY'
import hashlib, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
digest = hashlib.sha256(open("pyproject.toml", "rb").read()).hexdigest()
open("pixi.lock", "w").write(
    "version: 6\\nenvironments:\\n  default:\\n    channels:\\n    - url: https://conda.anaconda.org/conda-forge/\\n"
    "    packages:\\n      linux-64:\\n      - pypi: .\\npackages:\\n- pypi: .\\n"
    f"  name: {project['name']}\\n  version: {project['version']}\\n  sha256: {digest}\\n"
    f"  requires_python: '{project.get('requires-python', '>=3.8')}'\\n  editable: true\\n")
PY
    ;;
  *) echo "pixi stand-in: only 'pixi run <task>' and 'pixi lock'" >&2; exit 2 ;;
esac
`;
