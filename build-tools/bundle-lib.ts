/**
 * The last step of `npx projen compile`: bundles the library into one lib/index.js (the package's
 * `main`), so that a user's `npx projen` loads one module of it, not about 90 (Node's resolving,
 * reading and wrapping of each module was a third of the time the library took to load).
 *
 * - It bundles src/*.ts as ES modules (esbuild, with this repository's tsconfig.json, the one jsii
 *   compiles with): one scope, modules joined without a function around each, which loads in
 *   about half the time of a bundle of jsii's CommonJS lib/*.js.
 * - jsii's compiler gives every exported class its runtime type info (a static
 *   `Symbol.for('jsii.rtti')` property with the class's fqn and the assembly's version), which the
 *   jsii kernel reads to know an object's class; the bundle sets the same, from the assembly
 *   (.jsii) jsii wrote just before.
 * - projen, constructs, semver and Node's modules stay `require()`s (`packages: 'external'`).
 * - The modules whose functions the generated scripts embed with `toString()` are not bundled as
 *   code: synthesis never runs those functions, it only reads their text. Each becomes a function
 *   whose `toString()` returns tsc's text of it, read from jsii's compiled file at bundle time
 *   (comments included, not a bundler's reprint), so that synthesis loads no module of ours but
 *   lib/index.js; test/npm-bundle.test.ts checks that every example's scripts are byte for byte
 *   the ones synthesized from src/.
 * - jsii's .js and .js.map files are then removed: the bundle holds their code, and its source
 *   map leads back to src/. Their .d.ts files stay: they are the package's types. The npm
 *   package, which the Python package carries and the jsii runtime unpacks, ships only what runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const LIB = path.join(ROOT, 'lib');
const INDEX = path.join(LIB, 'index.js');
/** The first line of the bundle. */
export const BUNDLE_BANNER = '// projen-pypi-pipelines: src/ bundled by build-tools/bundle-lib.ts';
/** Modules embedded in generated scripts through `toString()` (under src/ and lib/, without extension). */
export const EMBEDDED_MODULES = ['rehearsal/step-runner', 'rehearsal/rehearse', 'publish/manual/publish-manually', 'workflow/update-pins'];
/** The property jsii's compiler gives each class (jsii's `JSII_RTTI_SYMBOL_1`). */
const RTTI = 'Symbol.for("jsii.rtti")';

/**
 * An import of an embedded module becomes a module of its text: for each function jsii's compiled
 * file (lib/<module>.js) exports, one that only refuses to run, whose `toString()` is tsc's text.
 */
const embedTextOnly: esbuild.Plugin = {
  name: 'embed-text-only',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      const module = path.relative(SRC, path.resolve(args.resolveDir, args.path)).split(path.sep).join('/').replace(/\.ts$/, '');
      return EMBEDDED_MODULES.includes(module) ? { path: module, namespace: 'embedded' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'embedded' }, async (args) => ({ contents: await textModule(args.path), loader: 'js' }));
  },
};

/** The module that stands for embedded module `module` in the bundle. */
async function textModule(module: string): Promise<string> {
  const file = path.join(LIB, `${module}.js`);
  const compiled: { [name: string]: unknown } = await import(file);
  const functions = Object.entries(compiled).filter((e): e is [string, Function] => typeof e[1] === 'function');
  if (!functions.length) throw new Error(`bundle-lib: ${file} exports no function to embed`);
  return functions.flatMap(([name, fn]) => [
    `export function ${name}() { throw new Error(${JSON.stringify(`${name}() runs only in the scripts it is embedded in`)}); }`,
    `${name}.toString = () => ${JSON.stringify(fn.toString())};`,
  ]).join('\n');
}

/** The bundle's entry: src/index.ts, and each class's runtime type info as jsii's compiler writes it. */
function entry(): string {
  const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf-8'));
  const classes = Object.values(assembly.types as { [fqn: string]: { kind: string; fqn: string; name: string; namespace?: string } })
    .filter((t) => t.kind === 'class');
  const nested = classes.filter((c) => c.namespace);
  if (nested.length) throw new Error(`bundle-lib: nested classes (${nested.map((c) => c.fqn).join(', ')}) are not handled: set their runtime type info too`);
  return [
    "export * from './src/index';",
    `import { ${classes.map((c) => c.name).join(', ')} } from './src/index';`,
    `const rtti = ${RTTI};`,
    ...classes.map((c) => `${c.name}[rtti] = ${JSON.stringify({ fqn: c.fqn, version: assembly.version })};`),
  ].join('\n');
}

async function main(): Promise<void> {
  const result = await esbuild.build({
    stdin: { contents: entry(), resolveDir: ROOT, sourcefile: 'bundle-entry.ts', loader: 'ts' },
    outfile: INDEX,
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    packages: 'external',
    plugins: [embedTextOnly],
    sourcemap: 'linked',
    banner: { js: BUNDLE_BANNER },
    write: false,
    logLevel: 'warning',
  });
  const bundle = result.outputFiles.find((f) => f.path === INDEX)!.text;
  const unused = EMBEDDED_MODULES.filter((m) => !bundle.includes(`// embedded:${m}\n`));
  if (unused.length) throw new Error(`bundle-lib: lib/index.js does not embed ${unused.join(', ')}: update EMBEDDED_MODULES in build-tools/bundle-lib.ts`);
  for (const file of result.outputFiles) fs.writeFileSync(file.path, file.contents);
  let removed = 0;
  for (const file of fs.readdirSync(LIB, { recursive: true }).map(String)) {
    const module = file.split(path.sep).join('/').replace(/\.js(\.map)?$/, '');
    if (module !== file.split(path.sep).join('/') && module !== 'index') {
      fs.rmSync(path.join(LIB, file));
      removed++;
    }
  }
  console.log(`lib/index.js: ${(fs.statSync(INDEX).size / 1024).toFixed(0)} KB, one module (${EMBEDDED_MODULES.length} of them as the text generated scripts embed); ${removed} of jsii's files removed`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e.message ?? e);
    process.exitCode = 1;
  });
}
