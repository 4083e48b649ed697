import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A scratch copy of the repository that mutants are applied to: every file git tracks or would
 * track (src/, test/, examples/, config), with node_modules and .tools symlinked to the real
 * repository's. The real tree is never written to.
 */
export class ScratchRepo {
  /** Copies `repo` into a new directory under os.tmpdir(). */
  public static create(repo: string): ScratchRepo {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ppp-mutants-'));
    const dir = path.join(root, 'repo');
    const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
    if (listed.status !== 0) throw new Error(`git ls-files failed in ${repo}:\n${listed.stderr}`);
    for (const file of listed.stdout.split('\0').filter(Boolean)) {
      const from = path.join(repo, file);
      if (!fs.existsSync(from) || fs.lstatSync(from).isDirectory()) continue; // deleted, or a link to a directory
      if (file === 'node_modules' || file === '.tools') continue;
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.copyFileSync(from, path.join(dir, file));
    }
    for (const link of ['node_modules', '.tools']) {
      const target = path.join(repo, link);
      if (fs.existsSync(target)) fs.symlinkSync(fs.realpathSync(target), path.join(dir, link));
    }
    return new ScratchRepo(root, dir);
  }

  private constructor(
    /** The scratch area (the copy, jest's cache, the runs' TMPDIRs). */
    public readonly root: string,
    /** The copy of the repository. */
    public readonly dir: string,
  ) {}

  /** Reads a file of the copy. */
  public read(file: string): string {
    return fs.readFileSync(path.join(this.dir, file), 'utf-8');
  }

  /** Writes a file of the copy. */
  public write(file: string, text: string): void {
    fs.writeFileSync(path.join(this.dir, file), text);
  }

  /** Whether the copy has the file. */
  public has(file: string): boolean {
    return fs.existsSync(path.join(this.dir, file));
  }

  /** A fresh, empty TMPDIR for one run. */
  public freshTmp(name: string): string {
    const dir = path.join(this.root, 'tmp', name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Removes the scratch area. */
  public remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/**
 * Processes that carry `marker=value` in their environment (what a run started and left
 * running). Only processes of this user can be read, which is all a run can start.
 */
export function processesWithMarker(marker: string, value: string): Array<{ pid: number; command: string }> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${entry}/environ`, 'utf-8').split('\0');
      if (!env.includes(`${marker}=${value}`)) continue;
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf-8').split('\0').join(' ').trim();
      found.push({ pid: Number(entry), command });
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return found;
}

/** Entries of `dir`, recursively to `depth` levels, as relative paths. */
export function listing(dir: string, depth = 1): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (at: string, level: number) => {
    for (const e of fs.readdirSync(path.join(dir, at), { withFileTypes: true })) {
      const rel = at ? `${at}/${e.name}` : e.name;
      out.push(rel);
      if (e.isDirectory() && level < depth) walk(rel, level + 1);
    }
  };
  walk('', 1);
  return out.sort();
}

/** One line about the machine: CPU, cores, memory, Node. */
export function machine(): string {
  const cpus = os.cpus();
  const model = (cpus[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  return `${cpus.length} × ${model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
