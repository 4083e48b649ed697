import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tool } from './tools';

/** zizmor's personas: `regular` (its default), `pedantic` (code smells too), `auditor` (everything). */
export type ZizmorPersona = 'regular' | 'pedantic' | 'auditor';

/** One zizmor finding, at its primary location. */
export interface ZizmorFinding {
  /** The audit id, e.g. `excessive-permissions`. */
  readonly audit: string;
  readonly severity: string;
  readonly confidence: string;
  /** The lowest persona that shows it. */
  readonly persona: string;
  /** The name the workflow was given (a key of the files, or the path). */
  readonly file: string;
  /** 1-based line of the primary location. */
  readonly line: number;
  /** The audit's description and what zizmor says at the location. */
  readonly message: string;
}

/** The zizmor of the tools environment (1.32). */
export const ZIZMOR = tool('zizmor');

/**
 * Runs zizmor on workflow files: offline (no audit that needs GitHub), without any zizmor.yml,
 * failing on a workflow it cannot parse, with findings in JSON and exit codes only for a failure
 * of zizmor itself. `names` maps each path to the name findings should carry.
 */
function run(paths: string[], persona: ZizmorPersona, names: Map<string, string>): ZizmorFinding[] {
  if (paths.length === 0) return [];
  const args = ['--offline', '--no-config', '--no-progress', '--strict-collection', '--no-exit-codes', '--format', 'json', '--persona', persona, ...paths];
  const r = spawnSync(ZIZMOR, args, { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024, env: { PATH: process.env.PATH, HOME: os.tmpdir(), NO_COLOR: '1' } });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`zizmor ${args.slice(0, 9).join(' ')} ... exited ${r.status}:\n${r.stderr}`);
  const raw: any[] = JSON.parse(r.stdout || '[]');
  return raw.map((f) => {
    const primary = f.locations.find((l: any) => l.symbolic.kind === 'Primary') ?? f.locations[0];
    const where = primary.symbolic.key.Local?.given_path ?? primary.symbolic.key.Local?.verbatim_path ?? '';
    return {
      audit: f.ident,
      severity: f.determinations.severity,
      confidence: f.determinations.confidence,
      persona: f.determinations.persona,
      file: names.get(where) ?? names.get(path.resolve(where)) ?? where,
      line: primary.concrete.location.start_point.row + 1,
      message: `${f.desc}: ${primary.symbolic.annotation}`,
    };
  });
}

/** zizmor on workflow files on disk (paths as given in the findings). */
export function zizmorFiles(paths: string[], persona: ZizmorPersona = 'regular'): ZizmorFinding[] {
  return run(paths, persona, new Map(paths.map((p) => [p, p])));
}

/** The workflow files (`*.yml`, `*.yaml`) of a directory. */
export function workflowFilesIn(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f));
}

/**
 * zizmor on workflows in memory, in one zizmor process however many there are (for the property
 * test: key each text by where it came from, e.g. `config 12 release.yml`; findings carry the key).
 */
export function zizmorWorkflows(files: Record<string, string>, persona: ZizmorPersona = 'regular'): ZizmorFinding[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-zizmor-'));
  try {
    const workflows = path.join(dir, '.github', 'workflows');
    fs.mkdirSync(workflows, { recursive: true });
    const names = new Map<string, string>();
    Object.entries(files).forEach(([name, text], i) => {
      const file = path.join(workflows, `w${i}-${name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.ya?ml$/, '')}.yml`);
      fs.writeFileSync(file, text);
      names.set(file, name);
    });
    return run([...names.keys()], persona, names);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Findings as lines: `audit (severity, persona) file:line message`. */
export function formatZizmor(findings: ZizmorFinding[]): string {
  return findings.map((f) => `${f.audit} (${f.severity}, ${f.persona}) ${f.file}:${f.line} ${f.message}`).join('\n');
}
