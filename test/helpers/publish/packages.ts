import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { TOOLS_PYTHON } from '../tools';

/** A tiny package to build. */
export interface TinyPackage {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: string[];
  /** Optional dependencies under the `dev` extra. */
  readonly devDependencies?: string[];
  /** The module's `__init__.py` (default: a `hello()` naming the version). */
  readonly init?: string;
  /** Build the sdist too (default: wheel only). */
  readonly sdist?: boolean;
  /** Give it a README as its description (default: true; without one `twine check` warns). */
  readonly readme?: boolean;
}

/** What was built. */
export interface Built {
  readonly wheel: string;
  readonly sdist?: string;
  /** All built files. */
  readonly files: string[];
}

function run(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${cmd} ${args.join(' ')} failed:\n${output}`))));
  });
}

/** Module name of a distribution name. */
export function moduleOf(name: string): string {
  return name.replace(/[-.]/g, '_');
}

/**
 * Writes a tiny hatchling project under `root/src/<name>-<version>` (with a README, so that
 * `twine check --strict` passes) and builds it with today's hatchling from the tools environment.
 * Each call gets its own output directory; `tag` distinguishes two builds of the same version.
 */
export async function buildPackage(root: string, pkg: TinyPackage, tag = ''): Promise<Built> {
  const module = moduleOf(pkg.name);
  const id = `${pkg.name}-${pkg.version}${tag ? `-${tag}` : ''}`;
  const src = path.join(root, 'src', id);
  fs.mkdirSync(path.join(src, module), { recursive: true });
  const readme = pkg.readme !== false;
  if (readme) fs.writeFileSync(path.join(src, 'README.md'), `# ${pkg.name}\n\nA test package.\n`);
  fs.writeFileSync(path.join(src, 'pyproject.toml'), [
    '[build-system]',
    'requires = ["hatchling"]',
    'build-backend = "hatchling.build"',
    '[project]',
    `name = "${pkg.name}"`,
    `version = "${pkg.version}"`,
    'description = "A test package"',
    ...(readme ? ['readme = "README.md"'] : []),
    `dependencies = [${(pkg.dependencies ?? []).map((d) => JSON.stringify(d)).join(', ')}]`,
    '[project.optional-dependencies]',
    `dev = [${(pkg.devDependencies ?? []).map((d) => JSON.stringify(d)).join(', ')}]`,
    '[tool.hatch.build.targets.wheel]',
    `packages = ["${module}"]`,
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(src, module, '__init__.py'), pkg.init ?? `def hello():\n    return "hello from ${pkg.name} ${pkg.version}${tag ? ` (${tag})` : ''}"\n`);
  const out = path.join(root, 'built', id);
  await run(TOOLS_PYTHON, ['-m', 'build', '--no-isolation', ...(pkg.sdist ? [] : ['--wheel']), '--outdir', out, src], src);
  const files = fs.readdirSync(out).sort().map((f) => path.join(out, f));
  return { wheel: files.find((f) => f.endsWith('.whl'))!, sdist: files.find((f) => f.endsWith('.tar.gz')), files };
}

/** sha256 of a file, hex. */
export function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Copies files into a fresh `dir` and writes SHA256SUMS for them there, as release.yml does. */
export function releaseDir(dir: string, files: string[]): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of files) fs.copyFileSync(f, path.join(dir, path.basename(f)));
  fs.writeFileSync(path.join(dir, 'SHA256SUMS'), files.map((f) => `${sha256(f)}  ${path.basename(f)}\n`).join(''));
  return dir;
}

/**
 * A copy of `wheel` in `dir` whose METADATA carries these `Requires-Dist` lines instead of its
 * own (what a hostile or broken build could write; no build backend would).
 */
export function withRequiresDist(wheel: string, dir: string, requirements: string[]): string {
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, path.basename(wheel));
  const code = [
    'import sys, zipfile',
    'src, dst, reqs = sys.argv[1], sys.argv[2], sys.argv[3:]',
    'with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:',
    '    for item in zin.infolist():',
    '        data = zin.read(item.filename)',
    '        if item.filename.endswith(".dist-info/METADATA"):',
    '            lines = [l for l in data.decode().split("\\n") if not l.startswith("Requires-Dist:")]',
    '            at = next(i for i, l in enumerate(lines) if l.startswith("Version:")) + 1',
    '            lines[at:at] = ["Requires-Dist: " + r for r in reqs]',
    '            data = "\\n".join(lines).encode()',
    '        zout.writestr(item, data)',
  ].join('\n');
  const r = spawnSync(TOOLS_PYTHON, ['-c', code, wheel, target, ...requirements], { encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return target;
}
