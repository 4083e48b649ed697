/**
 * The scripts of a compiled release (release.yml's prepare, wheels, sdist and gather jobs, and
 * publish.yml's verify job): the release commit handed to the wheel jobs as a bundle, and the
 * check that exactly the expected wheels are there. A wheel is named by an identifier: its Python
 * (`cp312`, free-threaded `cp314t`, stable ABI `cp39-abi3`, any Python `py3-none`) and its platform
 * without the libc or OS version (`manylinux_x86_64`, `musllinux_aarch64`, `macosx_arm64`,
 * `win_amd64`), e.g. `cp312-manylinux_x86_64`: for cibuildwheel, its build identifier.
 */

import { script } from './strict-script';

/**
 * Python: `wheel_id(filename)` -> `(identifier, None)`, or `(None, why)` for a file that is not a
 * wheel PyPI would take for one platform (an unrepaired `linux_*` wheel, a pure `any` wheel);
 * `say(identifier)` -> `Python cp312 on manylinux_x86_64`; `safe(text)` for file names in messages.
 */
export const WHEEL_ID_PY = [
  'import os, re, sys',
  'WHEEL = re.compile(r"(?P<name>[^-]+)-(?P<version>[^-]+)(?:-(?P<build>\\d[^-]*))?-(?P<py>[^-]+)-(?P<abi>[^-]+)-(?P<plat>[^-]+)\\.whl")',
  'def safe(text):',
  '    return re.sub(r"[^A-Za-z0-9._+!-]", "?", str(text))[:200]',
  'def platform_of(tag):',
  '    for pattern, name in ((r"(many|musl)linux_\\d+_\\d+_(\\w+)", "{0}linux_{1}"), (r"manylinux(?:1|2010|2014)_(\\w+)", "manylinux_{0}"), (r"macosx_\\d+_\\d+_(\\w+)", "macosx_{0}")):',
  '        m = re.fullmatch(pattern, tag)',
  '        if m:',
  '            return name.format(*m.groups())',
  '    return tag if tag in ("win32", "win_amd64", "win_arm64") else None',
  'def wheel_id(filename):',
  '    m = WHEEL.fullmatch(filename)',
  '    if not m:',
  '        return None, "is not named as a wheel (name-version-python-abi-platform.whl)"',
  '    plat = m["plat"]',
  '    platforms = {platform_of(t) for t in plat.split(".")}',
  '    if None in platforms or len(platforms) != 1:',
  '        if plat.startswith("linux_"):',
  '            return None, f"is tagged {plat}, which PyPI refuses: it was not repaired (auditwheel; cibuildwheel and maturin do it)"',
  '        if plat == "any":',
  '            return None, "is a pure wheel (any), but this release builds compiled wheels"',
  '        return None, f"has the platform tag {plat}, which names no single platform the release builds for"',
  '    py, abi = m["py"], m["abi"]',
  '    python = abi if abi in (py, py + "t") else f"{py}-{abi}"',
  '    return f"{python}-{platforms.pop()}", None',
  'def say(ident):',
  '    python, _, platform = ident.rpartition("-")',
  '    return f"Python {python} on {platform}"',
].join('\n');

/**
 * Checks that `$DIST_DIR` holds exactly the expected wheels (`EXPECTED_WHEELS`: identifiers,
 * separated by blanks or lines): one for each, none twice, nothing else. Names every missing wheel
 * by its Python and platform, and every extra, doubled or unusable file. Env: `DIST_DIR`,
 * `EXPECTED_WHEELS`.
 */
export const CHECK_WHEEL_SET = script(
  'python3 - <<\'PY\'',
  WHEEL_ID_PY,
  'expected = sorted(set(os.environ["EXPECTED_WHEELS"].split()))',
  'found, unusable = {}, []',
  'for f in sorted(os.listdir(os.environ["DIST_DIR"])):',
  '    if f.endswith(".whl"):',
  '        ident, why = wheel_id(f)',
  '        if why:',
  '            unusable.append(f"{safe(f)} {why}")',
  '        else:',
  '            found.setdefault(ident, []).append(safe(f))',
  'missing = [i for i in expected if i not in found]',
  'extra = sorted(i for i in found if i not in expected)',
  'doubled = sorted(i for i in found if i in expected and len(found[i]) > 1)',
  'for i in expected:',
  '    if i in found and i not in doubled:',
  '        print(f"{i}: {found[i][0]}")',
  'for i in missing:',
  '    print(f"::error title=Missing wheel::No wheel for {say(i)} ({i}): its build did not run or built something else.")',
  'for i in extra:',
  '    for f in found[i]:',
  '        print(f"::error title=Unexpected wheel::{f} is for {say(i)} ({i}), which is not one of the wheels this release builds.")',
  'for i in doubled:',
  '    print(f"::error title=Doubled wheel::{len(found[i])} wheels for {say(i)} ({i}): " + ", ".join(found[i]) + ".")',
  'for text in unusable:',
  '    print(f"::error title=Unusable wheel::{text}.")',
  'if missing or extra or doubled or unusable:',
  '    parts = [f"{len(missing)} missing ({\', \'.join(missing)})" if missing else "", f"{len(extra)} not expected ({\', \'.join(extra)})" if extra else "",',
  '             f"{len(doubled)} doubled" if doubled else "", f"{len(unusable)} unusable" if unusable else ""]',
  '    sys.exit(f"::error title=Not the expected wheels::The release builds {len(expected)} wheels; " + "; ".join(p for p in parts if p) + ". Nothing is released: fix the build matrix (or the project\'s cibuildwheel/maturin settings) and run the release again.")',
  'print(f"All {len(expected)} expected wheels are here, and no other.")',
  'PY',
);

/**
 * The prepare job's hand-over: the release notes and a `git bundle` of the release commit
 * (unless HEAD is the run's commit itself) into `$RELEASE_COMMIT_DIR`; writes `commit` to
 * `$GITHUB_OUTPUT`. Env: `RELEASE_COMMIT_DIR`, `NOTES_FILE`, `GITHUB_SHA`.
 */
export const STAGE_RELEASE_COMMIT = script(
  'mkdir -p "$RELEASE_COMMIT_DIR"',
  'cp -- "$NOTES_FILE" "$RELEASE_COMMIT_DIR/release-notes.md"',
  'commit=$(git rev-parse HEAD)',
  'if [[ "$commit" == "$GITHUB_SHA" ]]; then',
  '  echo "HEAD is the run\'s commit, the release commit already: no bundle."',
  'else',
  '  git bundle create "$RELEASE_COMMIT_DIR/release.bundle" HEAD "^$GITHUB_SHA"',
  'fi',
  'echo "commit=$commit" >> "$GITHUB_OUTPUT"',
  'ls -l "$RELEASE_COMMIT_DIR"',
);

/**
 * A wheel or sdist job: checks out the release commit from the prepare job's bundle (on top of the
 * run's commit, which the checkout fetched), so that every file carries exactly the release's
 * version, and fails unless HEAD is then `$RELEASE_COMMIT`. Env: `RELEASE_COMMIT_DIR`,
 * `RELEASE_COMMIT`.
 */
export const CHECKOUT_RELEASE_COMMIT = script(
  'bundle="$RELEASE_COMMIT_DIR/release.bundle"',
  'if [[ -f "$bundle" ]]; then',
  '  if ! git bundle verify --quiet "$bundle"; then',
  '    echo "::error title=Release commit::The bundle of the release commit does not apply on this checkout."',
  '    exit 1',
  '  fi',
  '  git fetch --quiet --no-tags "$bundle" HEAD',
  '  git checkout --quiet --detach FETCH_HEAD',
  'fi',
  'head=$(git rev-parse HEAD)',
  'if [[ "$head" != "$RELEASE_COMMIT" ]]; then',
  '  echo "::error title=Release commit::HEAD is $head, but the prepare job made the release commit $RELEASE_COMMIT."',
  '  exit 1',
  'fi',
  'git log -1 --format=\'Building the release commit %H (%s)\'',
);

/**
 * The gather job's hand-over to the attest and release jobs: every distribution, `SHA256SUMS`,
 * the release notes and the bundle into `$RELEASE_FILES`; writes `commit` (`$RELEASE_COMMIT`) to
 * `$GITHUB_OUTPUT`. Env: `DIST_DIR`, `RELEASE_COMMIT_DIR`, `RELEASE_FILES`, `RELEASE_COMMIT`.
 */
export const STAGE_GATHERED_FILES = script(
  'mkdir -p "$RELEASE_FILES"',
  'cp -- "$DIST_DIR"/*.whl "$DIST_DIR"/*.tar.gz "$DIST_DIR/SHA256SUMS" "$RELEASE_FILES/"',
  'cp -- "$RELEASE_COMMIT_DIR/release-notes.md" "$RELEASE_FILES/release-notes.md"',
  'if [[ -f "$RELEASE_COMMIT_DIR/release.bundle" ]]; then cp -- "$RELEASE_COMMIT_DIR/release.bundle" "$RELEASE_FILES/"; fi',
  'echo "commit=$RELEASE_COMMIT" >> "$GITHUB_OUTPUT"',
  'ls -l "$RELEASE_FILES"',
);

/**
 * The rehearsal: checks that every wheel the host built into `$DIST_DIR` is one of the release's
 * (`EXPECTED_WHEELS`), and writes them as `expected` to `$GITHUB_OUTPUT`, for the gather step's
 * check of the host's share. Env: `DIST_DIR`, `EXPECTED_WHEELS`.
 */
export const CHECK_HOST_WHEELS = script(
  'python3 - <<\'PY\'',
  WHEEL_ID_PY,
  'expected = set(os.environ["EXPECTED_WHEELS"].split())',
  'built, bad = [], []',
  'for f in sorted(os.listdir(os.environ["DIST_DIR"])):',
  '    if f.endswith(".whl"):',
  '        ident, why = wheel_id(f)',
  '        if why or ident not in expected:',
  '            bad.append(f"{safe(f)} {why or f\'is for {say(ident)} ({ident}), not one of the wheels the release builds\'}")',
  '        else:',
  '            built.append(ident)',
  '            print(f"{f}: {ident}, one of the {len(expected)} wheels of the release")',
  'for text in bad:',
  '    print(f"::error title=Not a wheel of the release::{text}.")',
  'if bad or not built:',
  '    sys.exit("::error::The host built no wheel of the release." if not bad else 1)',
  'with open(os.environ["GITHUB_OUTPUT"], "a") as out:',
  '    out.write("expected=" + " ".join(built) + "\\n")',
  'PY',
);

/** Rehearsal stand-in for cibuildwheel: the host's wheel, built and repaired (auditwheel on Linux, delocate on macOS when installed). Env: `DIST_DIR`. */
export const HOST_WHEEL_SETUPTOOLS = script(
  'raw=$(mktemp -d)',
  'pyproject-build --wheel --outdir "$raw"',
  'mkdir -p "$DIST_DIR"',
  'case "$(uname -s)" in',
  '  Linux)',
  '    if ! command -v auditwheel > /dev/null; then',
  '      echo "::error title=auditwheel missing::The rehearsal repairs the host\'s wheel with auditwheel, as cibuildwheel does: pipx install auditwheel (it needs patchelf >= 0.14.5)."',
  '      exit 1',
  '    fi',
  '    auditwheel repair --wheel-dir "$DIST_DIR" "$raw"/*.whl ;;',
  '  Darwin)',
  '    if command -v delocate-wheel > /dev/null; then delocate-wheel --wheel-dir "$DIST_DIR" "$raw"/*.whl; else cp -- "$raw"/*.whl "$DIST_DIR/"; fi ;;',
  '  *)',
  '    echo "::error title=Host not supported::The rehearsal builds the host\'s wheel on Linux or macOS; on $(uname -s), rehearse in WSL or a Linux container."',
  '    exit 1 ;;',
  'esac',
);

/** Rehearsal stand-in for maturin-action: the host's wheel and the sdist with the host's maturin and cargo. Env: `DIST_DIR`, `HOST_ARGS` (e.g. `--interpreter python3`). */
export const HOST_WHEEL_MATURIN = script(
  'read -ra args <<< "${HOST_ARGS:-}"',
  'maturin build --release --out "$DIST_DIR" "${args[@]}"',
  'maturin sdist --out "$DIST_DIR"',
);

/** The cibuildwheel sdist job's build (and the rehearsal's): `pyproject-build --sdist`. Env: `DIST_DIR`. */
export const BUILD_SDIST = script('pyproject-build --sdist --outdir "$DIST_DIR"');

/**
 * Python, run by the venv's interpreter: prints the path of the wheel among `argv[1:]` that pip
 * would choose for this interpreter and platform (the best rank of its tags in
 * `packaging.tags.sys_tags()`, from the venv's packaging or pip's vendored copy), or fails naming
 * the wheels and the interpreter's first tags when none installs here (a compiled release without
 * a wheel for the install test's runner and Python).
 */
export const PICK_WHEEL_PY = [
  'import os, sys',
  'try:',
  '    from packaging.tags import sys_tags',
  'except ImportError:',
  '    from pip._vendor.packaging.tags import sys_tags',
  'rank = {}',
  'for i, tag in enumerate(sys_tags()):',
  '    rank.setdefault(str(tag), i)',
  'best = None',
  'for path in sys.argv[1:]:',
  '    parts = os.path.basename(path)[:-len(".whl")].split("-")',
  '    if len(parts) < 5:',
  '        continue',
  '    py, abi, plat = parts[-3:]',
  '    ranks = [rank[t] for t in (f"{x}-{y}-{z}" for x in py.split(".") for y in abi.split(".") for z in plat.split(".")) if t in rank]',
  '    if ranks and (best is None or min(ranks) < best[0]):',
  '        best = (min(ranks), path)',
  'if best is None:',
  '    names = ", ".join(os.path.basename(p) for p in sys.argv[1:])',
  '    first = ", ".join(str(t) for t, _ in zip(sys_tags(), range(3)))',
  '    sys.exit(f"::error title=No wheel for this runner::None of the release\'s wheels ({names}) installs on this runner\'s Python (its tags start with {first}). Run the install test on a platform and Python the release builds a wheel for (PypiPublishPipeline runsOn and pythonVersion).")',
  'print(best[1])',
].join('\n');
