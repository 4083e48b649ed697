/**
 * The last step of `npx projen compile`: bundles jsii's lib/ into one lib/index.js (the package's
 * `main`), so that a user's `npx projen` loads one module of the library instead of about 85 (Node's
 * resolving, reading and wrapping of each module was a third of the time the library took to load).
 *
 * - projen, constructs, semver and Node's modules stay `require()`s (`packages: 'external'`).
 * - The modules whose functions the generated scripts embed with `toString()` stay files of their
 *   own, required by relative path: the scripts carry tsc's text of them, comments included, not a
 *   bundler's reprint (test/npm-bundle.test.ts checks both).
 * - The other modules' .js and .js.map files are then removed: the bundle holds their code, and
 *   its source map (which esbuild builds from theirs) leads back to src/. Their .d.ts files stay:
 *   they are the package's types. The npm package, which the Python package carries and the jsii
 *   runtime unpacks, ships only what runs.
 *
 * Running it twice is harmless: a lib/index.js that is already the bundle is left alone (jsii
 * writes every file of lib/ again on each compile).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';

const LIB = path.resolve(__dirname, '..', 'lib');
const INDEX = path.join(LIB, 'index.js');
/** The first line of the bundle: how the next run knows lib/index.js is no longer jsii's. */
export const BUNDLE_BANNER = '// projen-pypi-pipelines: lib/ bundled by build-tools/bundle-lib.ts';
/** lib/ modules embedded in generated scripts through `toString()` (without .js). */
export const EMBEDDED_MODULES = ['rehearsal/step-runner', 'rehearsal/rehearse', 'publish/manual/publish-manually', 'workflow/update-pins'];

/** Marks a relative import of an embedded module external, as `./<module>` from lib/index.js. */
const keepEmbeddedModules: esbuild.Plugin = {
  name: 'keep-embedded-modules',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      const module = path.relative(LIB, path.resolve(args.resolveDir, args.path)).split(path.sep).join('/').replace(/\.js$/, '');
      return EMBEDDED_MODULES.includes(module) ? { path: `./${module}`, external: true } : undefined;
    });
  },
};

async function main(): Promise<void> {
  const source = fs.readFileSync(INDEX, 'utf-8');
  if (source.startsWith(BUNDLE_BANNER)) {
    console.log('lib/index.js is already the bundle (run `npx projen compile` to rebuild lib/)');
    return;
  }
  const result = await esbuild.build({
    entryPoints: [INDEX],
    outfile: INDEX,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    packages: 'external',
    plugins: [keepEmbeddedModules],
    sourcemap: 'linked',
    banner: { js: BUNDLE_BANNER },
    write: false, // esbuild refuses to overwrite its input
    logLevel: 'warning',
  });
  for (const file of result.outputFiles) fs.writeFileSync(file.path, file.contents);
  const unused = EMBEDDED_MODULES.filter((m) => !result.outputFiles.some((f) => f.path.endsWith('.js') && f.text.includes(`require("./${m}")`)));
  if (unused.length) throw new Error(`bundle-lib: lib/index.js does not require ${unused.join(', ')}: update EMBEDDED_MODULES in build-tools/bundle-lib.ts`);
  const kept = new Set(['index', ...EMBEDDED_MODULES]);
  let removed = 0;
  for (const file of fs.readdirSync(LIB, { recursive: true }).map(String)) {
    const module = file.split(path.sep).join('/').replace(/\.js(\.map)?$/, '');
    if (module !== file.split(path.sep).join('/') && !kept.has(module)) {
      fs.rmSync(path.join(LIB, file));
      removed++;
    }
  }
  console.log(`lib/index.js: ${(fs.statSync(INDEX).size / 1024).toFixed(0)} KB, one module (and ${EMBEDDED_MODULES.length} embedded in generated scripts); ${removed} bundled files removed`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e.message ?? e);
    process.exitCode = 1;
  });
}
