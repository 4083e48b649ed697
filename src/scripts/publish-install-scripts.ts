/**
 * The scripts of publish.yml's `test-install` job: what TestPyPI serves is what SHA256SUMS
 * lists, the package installs from TestPyPI (its dependencies from PyPI only) and imports.
 */

import { script } from './strict-script';
import { PICK_WHEEL_PY } from './wheel-scripts';

/** The TestPyPI simple index the install test reads from. */
export const TESTPYPI_SIMPLE_INDEX = 'https://test.pypi.org/simple/';
/** The PyPI simple index dependencies come from. */
export const PYPI_SIMPLE_INDEX = 'https://pypi.org/simple/';
/** TestPyPI's JSON API (`<base>/<name>/<version>/json`). */
export const TESTPYPI_JSON_API = 'https://test.pypi.org/pypi';

/**
 * Python: reads `Requires-Dist` from the wheel `argv[1]` and writes the requirements to install
 * to the file `argv[2]`, NUL-separated, for pip's command line (never a requirements file, whose
 * lines pip obeys as options: `--index-url ...`, `-r /etc/passwd`). Each must be a PEP 508
 * requirement of a package on an index: parsed with `packaging` (the venv's, else pip's vendored
 * copy), no URL; markers are evaluated here (extras left out) and only `name[extras]specifier`
 * goes on. Without packaging, a strict check: a name, extras, version specifiers and a marker
 * made of marker variables, operators and quoted plain values only; such a line goes to pip as
 * one argument. Anything else: `::error title=Invalid dependency::` naming it, exit 1.
 */
export const READ_REQUIREMENTS_PY = [
  'import email.parser, json, os, re, sys, zipfile',
  'wheel = sys.argv[1]',
  'with zipfile.ZipFile(wheel) as z:',
  '    name = next(n for n in z.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))',
  '    metadata = email.parser.Parser().parsestr(z.read(name).decode(), headersonly=True)',
  'try:',
  '    from packaging.requirements import InvalidRequirement, Requirement',
  'except ImportError:',
  '    try:',
  '        from pip._vendor.packaging.requirements import InvalidRequirement, Requirement',
  '    except ImportError:',
  '        Requirement = None',
  'NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"',
  'OP = r"(?:~=|===|==|!=|<=|>=|<|>)"',
  'SPEC = rf"{OP}\\s*[A-Za-z0-9.*+!_-]+"',
  'STRICT = re.compile(rf"{NAME}(?:\\[\\s*{NAME}(?:\\s*,\\s*{NAME})*\\s*\\])?\\s*(?:\\(?\\s*{SPEC}(?:\\s*,\\s*{SPEC})*\\s*\\)?)?\\s*(?:;(?P<marker>.*))?")',
  'VARIABLES = "python_version|python_full_version|os_name|sys_platform|platform_release|platform_system|platform_version|platform_machine|platform_python_implementation|implementation_name|implementation_version|extra"',
  'TOKEN = re.compile(rf"\\s*(?:\\(|\\)|and\\b|or\\b|not\\s+in\\b|in\\b|{OP}|\\"[A-Za-z0-9 ._*+!<>=~,-]*\\"|\'[A-Za-z0-9 ._*+!<>=~,-]*\'|(?:{VARIABLES})\\b)")',
  'def strict(text):',
  '    m = STRICT.fullmatch(text)',
  '    if not m:',
  '        return False',
  '    marker = m.group("marker")',
  '    if marker is None:',
  '        return True',
  '    at = 0',
  '    while at < len(marker) and marker[at:].strip():',
  '        t = TOKEN.match(marker, at)',
  '        if not t:',
  '            return False',
  '        at = t.end()',
  '    return bool(marker.strip())',
  'keep, bad = [], []',
  'for text in metadata.get_all("Requires-Dist") or []:',
  '    if Requirement is None:',
  '        (keep if strict(text) else bad).append(text.strip())',
  '        continue',
  '    try:',
  '        req = Requirement(text)',
  '    except InvalidRequirement:',
  '        bad.append(text)',
  '        continue',
  '    if req.url:',
  '        bad.append(text)',
  '    elif req.marker is None or req.marker.evaluate({"extra": ""}):',
  '        extras = "[" + ",".join(sorted(req.extras)) + "]" if req.extras else ""',
  '        keep.append(f"{req.name}{extras}{req.specifier}")',
  'for text in bad:',
  '    print(f"::error title=Invalid dependency::{os.path.basename(wheel)} lists Requires-Dist {json.dumps(text)}, which is not a PEP 508 requirement of a package on an index (options, paths and URLs are refused). Fix the dependencies and release a new version.")',
  'if bad:',
  '    sys.exit(1)',
  'with open(sys.argv[2], "w") as out:',
  '    out.write("".join(r + "\\0" for r in keep))',
].join('\n');

/**
 * Installs the just-uploaded version from TestPyPI into a fresh venv, the safe way:
 * 1. creates `$VENV_DIR` with `${PYTHON:-python3}`; pip reads no config file and no `PIP_*` index
 *    variables, so the only indexes are the ones named here;
 * 2. picks the verified wheel in `$DIST_DIR` that installs on this runner (`PICK_WHEEL_PY`: of a
 *    compiled release, the one for this platform and Python) and reads and validates its
 *    `Requires-Dist` (`READ_REQUIREMENTS_PY`) before pip runs at all;
 * 3. installs `$DIST_NAME==$VERSION` alone, with `--no-deps --index-url $TESTPYPI_INDEX_URL
 *    --only-binary $DIST_NAME` (never building the sdist), and checks in pip's `--report` that it
 *    installed exactly that wheel;
 *    before anything else is in the venv (so that a dependency resolved on TestPyPI, where
 *    anyone can squat a name, would show), polling with a doubling delay from
 *    `$POLL_INITIAL_DELAY_SECONDS` up to `$POLL_MAX_DELAY_SECONDS` while the index lags, and
 *    failing with a clear message once `$POLL_TIMEOUT_SECONDS` would be exceeded;
 * 4. installs the dependencies from PyPI (`$PYPI_INDEX_URL`) only, as arguments after `--`, from
 *    an empty directory; then `pip check`.
 * Never `--extra-index-url`; always `--no-cache-dir`. Env: `DIST_NAME`, `VERSION`, `DIST_DIR`,
 * `VENV_DIR`, and optionally `PYTHON`, `TESTPYPI_INDEX_URL`, `PYPI_INDEX_URL` (default TestPyPI's
 * and PyPI's simple indexes), `POLL_TIMEOUT_SECONDS` (900), `POLL_INITIAL_DELAY_SECONDS` (15),
 * `POLL_MAX_DELAY_SECONDS` (120).
 */
export const INSTALL_FROM_TESTPYPI = script(
  `testpypi="\${TESTPYPI_INDEX_URL:-${TESTPYPI_SIMPLE_INDEX}}"`,
  `pypi="\${PYPI_INDEX_URL:-${PYPI_SIMPLE_INDEX}}"`,
  'timeout="${POLL_TIMEOUT_SECONDS:-900}"',
  'delay="${POLL_INITIAL_DELAY_SECONDS:-15}"',
  'max_delay="${POLL_MAX_DELAY_SECONDS:-120}"',
  'unset PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_FIND_LINKS PIP_NO_INDEX PIP_CONSTRAINT PIP_REQUIREMENT',
  'export PIP_CONFIG_FILE=/dev/null',
  'shopt -s nullglob',
  'wheels=("$DIST_DIR"/*.whl)',
  'if (( ${#wheels[@]} == 0 )); then echo "::error::No wheel in $DIST_DIR to read the dependencies from."; exit 1; fi',
  '"${PYTHON:-python3}" -m venv "$VENV_DIR"',
  'py="$VENV_DIR/bin/python"',
  'pip=("$py" -m pip --disable-pip-version-check --no-input install --no-cache-dir)',
  'wheel=$("$py" - "${wheels[@]}" <<\'PY\'',
  PICK_WHEEL_PY,
  'PY',
  ')',
  'echo "The release\'s wheel for this runner: ${wheel##*/}"',
  'requirements_file=$(mktemp)',
  'report=$(mktemp)',
  '"$py" - "$wheel" "$requirements_file" <<\'PY\'',
  READ_REQUIREMENTS_PY,
  'PY',
  'mapfile -d \'\' -t requirements < "$requirements_file"',
  'start=$SECONDS',
  'attempt=1',
  'until out=$("${pip[@]}" --no-deps --index-url "$testpypi" --only-binary "$DIST_NAME" --report "$report" "$DIST_NAME==$VERSION" 2>&1); do',
  '  elapsed=$(( SECONDS - start ))',
  '  if (( elapsed + delay > timeout )); then',
  '    echo "$out"',
  '    echo "::error title=Not installable from TestPyPI::Gave up after ${elapsed}s and $attempt attempts: $DIST_NAME $VERSION could not be installed from $testpypi (limit ${timeout}s). The upload succeeded, so the index may still lag: re-run the failed jobs later. If it keeps failing, read pip\'s output above."',
  '    exit 1',
  '  fi',
  '  echo "$DIST_NAME $VERSION is not installable from $testpypi yet (attempt $attempt, ${elapsed}s); next try in ${delay}s."',
  '  echo "$out" | tail -n 2',
  '  sleep "$delay"',
  '  attempt=$(( attempt + 1 ))',
  '  delay=$(( delay * 2 > max_delay ? max_delay : delay * 2 ))',
  'done',
  'echo "$out"',
  'installed=$("$py" -c \'import json, os, sys, urllib.parse; print(" ".join(os.path.basename(urllib.parse.urlparse(i["download_info"]["url"]).path) for i in json.load(open(sys.argv[1]))["install"]))\' "$report")',
  'if [[ "$installed" != "${wheel##*/}" ]]; then',
  '  echo "::error title=Not the release\'s wheel::pip installed ${installed:-nothing} from $testpypi, not ${wheel##*/}, the release\'s wheel for this runner."',
  '  exit 1',
  'fi',
  'echo "Installed $DIST_NAME $VERSION from $testpypi (attempt $attempt)."',
  'echo "It installed the release\'s wheel for this runner, ${wheel##*/}."',
  'if (( ${#requirements[@]} > 0 )); then',
  '  echo "Installing the dependencies from $pypi:"',
  '  printf \'  %s\\n\' "${requirements[@]}"',
  '  (cd "$(mktemp -d)" && "${pip[@]}" --index-url "$pypi" -- "${requirements[@]}")',
  'fi',
  '"$py" -m pip check',
);

/**
 * Checks that TestPyPI serves, for this version, exactly the files SHA256SUMS lists: reads its
 * JSON API (`$TESTPYPI_JSON_URL/<name>/<version>/json`, `urls[].filename` and
 * `urls[].digests.sha256`), waits with the bounded back-off while the version or a file is not
 * listed yet, then fails, naming each file, when a digest differs or TestPyPI holds a file that
 * SHA256SUMS does not list. TestPyPI never replaces a file and the upload skips existing ones, so
 * after `force_recreate` it may hold an earlier build: the install test would test other bytes
 * than PyPI gets. Env: `DIST_NAME`, `VERSION`, `DIST_DIR` (with `SHA256SUMS`), optionally
 * `TESTPYPI_JSON_URL` (default TestPyPI's) and the `POLL_*` bounds of `INSTALL_FROM_TESTPYPI`.
 */
export const CHECK_TESTPYPI_DIGESTS = script(
  'python3 - <<\'PY\'',
  'import json, os, re, sys, time, urllib.error, urllib.request',
  `base = (os.environ.get("TESTPYPI_JSON_URL") or "${TESTPYPI_JSON_API}").rstrip("/")`,
  'name, version = os.environ["DIST_NAME"], os.environ["VERSION"]',
  'timeout = int(os.environ.get("POLL_TIMEOUT_SECONDS") or 900)',
  'delay = int(os.environ.get("POLL_INITIAL_DELAY_SECONDS") or 15)',
  'max_delay = int(os.environ.get("POLL_MAX_DELAY_SECONDS") or 120)',
  'def safe(text):',
  '    return re.sub(r"[^A-Za-z0-9._+!-]", "?", str(text))[:200]',
  'expected = {}',
  'with open(os.path.join(os.environ["DIST_DIR"], "SHA256SUMS")) as f:',
  '    for line in f:',
  '        digest, _, file = line.strip().partition(" ")',
  '        file = file.strip().lstrip("*")',
  '        if file.endswith((".whl", ".tar.gz")):',
  '            expected[file] = digest.lower()',
  'url = f"{base}/{name}/{version}/json"',
  'start, attempt = time.monotonic(), 1',
  'while True:',
  '    served, problem = None, ""',
  '    try:',
  '        with urllib.request.urlopen(url, timeout=60) as response:',
  '            served = {u["filename"]: str(u["digests"]["sha256"]).lower() for u in json.load(response)["urls"]}',
  '    except urllib.error.HTTPError as e:',
  '        problem = f"HTTP {e.code}"',
  '    except (OSError, ValueError, KeyError, TypeError) as e:',
  '        problem = type(e).__name__',
  '    missing = sorted(set(expected) - set(served or {}))',
  '    if served is not None and not missing:',
  '        break',
  '    elapsed = int(time.monotonic() - start)',
  '    what = f"{name} {version} is not listed by {url}" if served is None else f"TestPyPI lists {name} {version} without " + ", ".join(missing)',
  '    if elapsed + delay > timeout:',
  '        print(f"::error title=Not on TestPyPI::{what} after {elapsed}s and {attempt} attempts ({problem or \'incomplete\'}; limit {timeout}s). The upload succeeded, so TestPyPI may still lag: re-run the failed jobs later.")',
  '        sys.exit(1)',
  '    print(f"{what} yet (attempt {attempt}, {elapsed}s); next try in {delay}s.", flush=True)',
  '    time.sleep(delay)',
  '    attempt += 1',
  '    delay = min(delay * 2, max_delay)',
  'bad = 0',
  'for file, digest in sorted(expected.items()):',
  '    if served[file] == digest:',
  '        print(f"{file}: sha256 {digest} on TestPyPI, as in SHA256SUMS")',
  '    else:',
  '        bad += 1',
  '        print(f"::error title=TestPyPI holds other files::{file} on TestPyPI has sha256 {safe(served[file])}, but SHA256SUMS says {digest}.")',
  'for file in sorted(set(served) - set(expected)):',
  '    bad += 1',
  '    print(f"::error title=TestPyPI holds other files::{safe(file)} is on TestPyPI for {version} but not in SHA256SUMS.")',
  'if bad:',
  '    print(f"::error title=Not the release\'s files::TestPyPI kept files of an earlier upload of {version} (it never replaces a file, and the upload skips existing ones, e.g. after force_recreate), so the install test would test other bytes than PyPI gets. TestPyPI never takes a file name twice: release a new version.")',
  '    sys.exit(1)',
  'PY',
);

/**
 * The smoke test: in an empty directory outside the checkout, with `python -I` (no current
 * directory, no `PYTHONPATH` on `sys.path`), imports `$IMPORT_NAME`, checks that it comes from
 * the venv and that `importlib.metadata.version($DIST_NAME)` is `$VERSION`.
 * Env: `VENV_DIR`, `IMPORT_NAME`, `DIST_NAME`, `VERSION`.
 */
export const SMOKE_TEST = script(
  'cd "$(mktemp -d)"',
  '"$VENV_DIR/bin/python" -I - <<\'PY\'',
  'import importlib, importlib.metadata, os, sys',
  'name, dist, expected = os.environ["IMPORT_NAME"], os.environ["DIST_NAME"], os.environ["VERSION"]',
  'venv = os.path.realpath(os.environ["VENV_DIR"])',
  'def fail(message):',
  '    sys.exit(f"::error title=Smoke test failed::{message}")',
  'try:',
  '    module = importlib.import_module(name)',
  'except Exception as e:',
  '    fail(f"import {name} failed: {e!r}")',
  'where = getattr(module, "__file__", None) or next(iter(getattr(module, "__path__", [])), "")',
  'where = os.path.realpath(where) if where else "(unknown)"',
  'try:',
  '    installed = importlib.metadata.version(dist)',
  'except importlib.metadata.PackageNotFoundError:',
  '    fail(f"{dist} is not installed in {venv}")',
  'print(f"import {name}: {where}")',
  'print(f"{dist} {installed}")',
  'if not where.startswith(venv + os.sep):',
  '    fail(f"{name} was imported from {where}, not from the venv {venv}")',
  'if installed != expected:',
  '    fail(f"{dist} reports version {installed}, expected {expected}")',
  'print(f"Smoke test passed: {name} imports and {dist} is {expected}.")',
  'PY',
);

/**
 * Runs a user's smoke command in the venv (activated), in an empty directory outside the
 * checkout. Env: `VENV_DIR`.
 */
export function smokeCommandScript(command: string): string {
  return script(
    'source "$VENV_DIR/bin/activate"',
    'cd "$(mktemp -d)"',
    command.trim(),
  );
}
