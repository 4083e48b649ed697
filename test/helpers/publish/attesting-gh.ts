import * as fs from 'fs';
import * as path from 'path';
import { sha256 } from './packages';

/** An artifact attestation as GitHub would hold it (the parts `gh attestation verify` checks). */
export interface FakeAttestation {
  /** The repository the attestation is linked with, `owner/name`. */
  readonly repo: string;
  /** The signer workflow: `owner/name/.github/workflows/<file>`. */
  readonly workflow: string;
  /** The git ref the run was on (`SourceRepositoryRef`), e.g. `refs/heads/main`. */
  readonly sourceRef: string;
  /**
   * The ref in the certificate's SAN: the signer workflow's own ref. It is the run's ref unless the
   * workflow was called as a reusable workflow (`uses: owner/repo/.github/workflows/x.yml@ref`).
   * @default - sourceRef
   */
  readonly workflowRef?: string;
}

/**
 * GitHub's API cannot run here, so `gh attestation verify` is stood in for: this `gh` answers
 * `attestation verify FILE --repo R --cert-identity SAN --source-ref REF` from a table of
 * attestations by sha256 (what `actions/attest-build-provenance` would have recorded), the way
 * gh does it: the file's sha256 is the subject; no attestation for it in R prints
 * "No attestations found for subject"; the certificate's SAN is
 * `https://github.com/<workflow>@<ref>` and must equal `--cert-identity` exactly (or, with
 * `--signer-workflow W`, match gh's older unanchored regular expression `^https://github.com/<W>`);
 * `--source-ref` must equal the ref exactly.
 * `auth token` prints `FAKE_GH_TOKEN`. Every other command goes to the delegate `gh` (the e2e
 * `FakeGitHub`). Calls are appended to `attestation-calls.jsonl`.
 */
function attestingGhMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cp: typeof import('child_process') = require('child_process');
  const crypto_: typeof import('crypto') = require('crypto');
  const fs_: typeof import('fs') = require('fs');
  const path_: typeof import('path') = require('path');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const args = process.argv.slice(2);
  const dir = process.env.FAKE_ATTESTATIONS_DIR!;
  fs_.appendFileSync(path_.join(dir, 'attestation-calls.jsonl'), JSON.stringify({ args, token: process.env.GH_TOKEN ?? null }) + '\n');
  if (args[0] === 'auth' && args[1] === 'token') {
    if (!process.env.FAKE_GH_TOKEN) {
      process.stderr.write('no oauth token found for github.com\n');
      process.exit(1);
    }
    process.stdout.write(`${process.env.FAKE_GH_TOKEN}\n`);
    process.exit(0);
  }
  if (args[0] !== 'attestation') {
    const r = cp.spawnSync(process.env.FAKE_GH_DELEGATE!, args, { stdio: 'inherit', env: { ...process.env, GH_TOKEN: process.env.GH_TOKEN || process.env.FAKE_GH_TOKEN } });
    process.exit(r.status ?? 1);
  }
  if (args[1] !== 'verify') {
    process.stderr.write(`fake gh: unsupported: gh ${args.join(' ')}\n`);
    process.exit(2);
  }
  if (args.includes('--help')) {
    if (process.env.FAKE_GH_OLD === '1') {
      process.stdout.write('      --signer-workflow string   Workflow that signed attestation\n');
    } else {
      process.stdout.write([
        '  -R, --repo string              Repository name in the format <owner>/<repo>',
        '      --cert-identity string     Enforce that the certificate\'s SubjectAlternativeName matches the provided value exactly',
        '      --signer-workflow string   Enforce that the workflow that signed the attestation matches the provided value ([host/]<owner>/<repo>/<path>/<to>/<workflow>)',
        '      --source-ref string        Enforce that the git ref associated with the source repository matches the provided value',
        '',
      ].join('\n'));
    }
    process.exit(0);
  }
  if (!(process.env.GH_TOKEN || process.env.GITHUB_TOKEN)) {
    process.stderr.write('gh: To use GitHub CLI in a GitHub Actions workflow, set the GH_TOKEN environment variable.\n');
    process.exit(4);
  }
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 2; i < args.length; i++) {
    if (args[i].startsWith('--')) flags[args[i]] = args[++i];
    else positional.push(args[i]);
  }
  const file = positional[0];
  const repo = flags['--repo'];
  if (!file || !repo) {
    process.stderr.write('must specify file path or container image URI, as well as one of --owner or --repo\n');
    process.exit(1);
  }
  if (!fs_.existsSync(file)) {
    process.stderr.write(`✗ Loading digest for ${file} failed\n`);
    process.exit(1);
  }
  const digest = crypto_.createHash('sha256').update(fs_.readFileSync(file)).digest('hex');
  process.stderr.write(`Loaded digest sha256:${digest} for file://${file}\n`);
  const table: Record<string, Array<{ repo: string; workflow: string; sourceRef: string; workflowRef?: string }>> = JSON.parse(fs_.readFileSync(path_.join(dir, 'attestations.json'), 'utf-8'));
  const found = (table[digest] ?? []).filter((a) => a.repo === repo);
  if (found.length === 0) {
    process.stderr.write(`✗ No attestations found for subject sha256:${digest}\n`);
    process.exit(1);
  }
  process.stderr.write(`Loaded ${found.length} attestation from GitHub API\n`);
  const identity = flags['--cert-identity'];
  const signer = flags['--signer-workflow'];
  const ref = flags['--source-ref'];
  const sanRegex = signer ? new RegExp(`^https://github.com/${signer}`) : new RegExp(`^https://github.com/${repo}/`);
  for (const a of found) {
    const san = `https://github.com/${a.workflow}@${a.workflowRef ?? a.sourceRef}`;
    if (identity !== undefined ? san !== identity : !sanRegex.test(san)) {
      const expected = identity !== undefined ? `expected SAN value "${identity}"` : `expected SAN value to match regex "${sanRegex.source}"`;
      process.stderr.write(`✗ Verification failed\nError: verifying with issuer "sigstore.dev": failed to verify certificate identity: no matching CertificateIdentity found, last error: ${expected}, got "${san}"\n`);
      continue;
    }
    if (ref !== undefined && a.sourceRef !== ref) {
      process.stderr.write(`✗ Verification failed\nError: expected SourceRepositoryRef to be ${ref}, got ${a.sourceRef}\n`);
      continue;
    }
    process.stdout.write(`✓ Verification succeeded!\n\nsha256:${digest} was attested by:\nREPO          PREDICATE_TYPE                  WORKFLOW\n${repo}  https://slsa.dev/provenance/v1  ${a.workflow.split('/').slice(2).join('/')}@${a.sourceRef}\n`);
    process.exit(0);
  }
  process.exit(1);
}

/** A `gh` that verifies attestations from a table and hands everything else to another `gh`. */
export class AttestingGh {
  /** Put this first on PATH. */
  public readonly binDir: string;
  /** The environment it needs. */
  public readonly env: Record<string, string>;
  private readonly dir: string;

  /**
   * @param dir scratch directory
   * @param delegate the `gh` for every other command (e.g. `FakeGitHub`'s)
   * @param token what `gh auth token` prints (the maintainer's login), if anything
   */
  public constructor(dir: string, delegate: string, token?: string) {
    this.dir = dir;
    this.binDir = path.join(dir, 'attesting-gh-bin');
    fs.mkdirSync(this.binDir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'attestations.json'), '{}');
    fs.writeFileSync(path.join(dir, 'attestation-calls.jsonl'), '');
    fs.writeFileSync(path.join(this.binDir, 'gh'), `#!${process.execPath}\n'use strict';\n(${attestingGhMain.toString()})();\n`, { mode: 0o755 });
    this.env = { FAKE_ATTESTATIONS_DIR: dir, FAKE_GH_DELEGATE: delegate, ...(token ? { FAKE_GH_TOKEN: token } : {}) };
  }

  /** Records an attestation for the content of `file`. */
  public attest(file: string, attestation: FakeAttestation): void {
    const table = JSON.parse(fs.readFileSync(path.join(this.dir, 'attestations.json'), 'utf-8'));
    (table[sha256(file)] = table[sha256(file)] ?? []).push(attestation);
    fs.writeFileSync(path.join(this.dir, 'attestations.json'), JSON.stringify(table, null, 2));
  }

  /** The `gh attestation ...` calls (and every other call through this `gh`), in order. */
  public get calls(): Array<{ args: string[]; token: string | null }> {
    return fs.readFileSync(path.join(this.dir, 'attestation-calls.jsonl'), 'utf-8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  }
}
