import { Check, Context, expressions, isObject, PROJECT_COMMAND, PUBLISHING_ACTIONS, strings, TOOLCHAIN_ACTIONS } from './context';

/** Secrets: named one by one, given to the step that needs them, in a deployment environment, never beside the project's code; trusted publishing in an isolated job. */

export function noProjectCodeWithSecrets(ctx: Context): void {
  for (const job of ctx.jobs) {
    const secrets = [...JSON.stringify(job.raw).matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]).filter((n) => n !== 'GITHUB_TOKEN');
    if (!secrets.length) continue;
    for (const s of job.steps) {
      const setup = s.action && TOOLCHAIN_ACTIONS.includes(s.action);
      const command = s.run !== undefined ? PROJECT_COMMAND.exec(s.run) : null;
      if (setup || command) {
        ctx.report('no-project-code-with-secrets', s.label, `${setup ? `sets up a toolchain (${s.action})` : `runs \`${command![0].trim()}\``} in a job that reads secrets.${secrets[0]}: the project's code (a build backend, a test, a config file) could read the secret or plant hooks for the steps that use it. Build in a job without secrets and hand the files on as an artifact.`);
      }
    }
  }
}

export function secretsInherit(ctx: Context): void {
  for (const job of ctx.jobs) {
    if (job.raw.secrets === 'inherit') {
      ctx.report('secrets-inherit', `job "${job.id}"`, '`secrets: inherit` hands every secret of the repository to the called workflow; pass the ones it needs by name.');
    }
  }
}

export function overprovisionedSecrets(ctx: Context): void {
  for (const { where, value } of strings(ctx)) {
    for (const e of expressions(value)) {
      if (/\btoJSON\s*\(\s*secrets\s*\)/i.test(e) || /\bsecrets\s*\[/.test(e) || /\bsecrets\b(?!\s*[.[])/.test(e)) {
        ctx.report('overprovisioned-secrets', where, `\`\${{ ${e} }}\` exposes the whole secrets context to the runner; name each secret (\`secrets.NAME\`).`);
      }
    }
  }
}

export function unredactedSecrets(ctx: Context): void {
  for (const { where, value } of strings(ctx)) {
    for (const e of expressions(value)) {
      if (/\bfromJSON\s*\(\s*secrets\./i.test(e)) {
        ctx.report('unredacted-secrets', where, `\`\${{ ${e} }}\` takes a part of a secret, which GitHub does not mask in logs; store each part as its own secret.`);
      }
    }
  }
}

export function secretsInStepScope(ctx: Context): void {
  const scopes: Array<[string, any]> = [['workflow', ctx.wf.env], ...ctx.jobs.map((j): [string, any] => [`job "${j.id}"`, j.raw.env])];
  for (const [where, env] of scopes) {
    if (!isObject(env)) continue;
    for (const [name, value] of Object.entries(env)) {
      if (/\bsecrets\.\w+/.test(String(value)) && !/^\$\{\{\s*secrets\.GITHUB_TOKEN\s*\}\}$/i.test(String(value))) {
        ctx.report('secrets-in-step-scope', where, `\`env.${name}\` puts a secret into the environment of every step${where === 'workflow' ? ' of every job' : ''}, third-party actions included; pass it in the \`env:\` of the step that needs it.`);
      }
    }
  }
}

export function secretsOutsideEnv(ctx: Context): void {
  for (const job of ctx.jobs) {
    if (job.raw.environment !== undefined) continue;
    const used = new Set<string>();
    for (const m of JSON.stringify({ ...job.raw, ...(ctx.wf.env ? { wfEnv: ctx.wf.env } : {}) }).matchAll(/\bsecrets\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
      if (m[1].toUpperCase() !== 'GITHUB_TOKEN') used.add(m[1]);
    }
    if (used.size) {
      ctx.report('secrets-outside-env', `job "${job.id}"`, `reads ${[...used].map((s) => `secrets.${s}`).join(', ')} but runs in no deployment environment, so any workflow on any branch can read ${used.size > 1 ? 'them' : 'it'} too. Give the job an \`environment:\` whose protection rules (branch or tag policy, reviewers) guard it, and store the secret there instead of at repository level.`);
    }
  }
}

export function useTrustedPublishing(ctx: Context): void {
  for (const job of ctx.jobs) {
    const idToken = isObject(job.raw.permissions) && job.raw.permissions['id-token'] === 'write';
    for (const s of job.steps) {
      if (s.action && PUBLISHING_ACTIONS.includes(s.action) && s.raw.with?.password !== undefined && idToken) {
        ctx.report('use-trusted-publishing', s.label, 'sets `password:` in a job that has `id-token: write`: a set token silently wins over trusted publishing and turns the PEP 740 attestations off, and the OIDC permission is granted for nothing. Drop the password (trusted publishing), or drop `id-token: write` (API tokens).');
      }
    }
  }
}

export function isolatedPublishJob(ctx: Context): void {
  for (const job of ctx.jobs) {
    const publishes = job.steps.filter((s) => s.action && PUBLISHING_ACTIONS.includes(s.action));
    if (publishes.length === 0) continue;
    if (publishes.length > 1) {
      ctx.report('isolated-publish-job', `job "${job.id}"`, `calls ${publishes[0].action} ${publishes.length} times; one call per job (two uploads from one job clash on their *.publish.attestation files, pypa/gh-action-pypi-publish#283). Use one job per index.`);
    }
    for (const s of job.steps) {
      if (publishes.includes(s) || s.action === 'actions/download-artifact') continue;
      ctx.report('isolated-publish-job', s.label, `runs in the publishing job, where ${isObject(job.raw.permissions) && job.raw.permissions['id-token'] === 'write' ? 'it could mint PyPI upload tokens through the OIDC permission' : 'it could tamper with the files just before the upload'}. The publishing job only downloads the verified files and uploads them; move this step to an earlier job.`);
    }
  }
}

/** In the order they run. */
export const SECRETS_CHECKS: Check[] = [
  noProjectCodeWithSecrets,
  secretsInherit,
  overprovisionedSecrets,
  unredactedSecrets,
  secretsInStepScope,
  secretsOutsideEnv,
  useTrustedPublishing,
  isolatedPublishJob,
];
