import { Check, Context, GITHUB_TOKEN, isObject, PUBLISHING_ACTIONS, SIGNING_ACTIONS, TOKENLESS_ACTIONS, WRITING_COMMAND } from './context';

/** The GITHUB_TOKEN: `permissions: {}` at the top, each job only what its steps use, `id-token: write` only to publish or sign, a reason for each write. */

export function topLevelPermissions(ctx: Context): void {
  const p = ctx.wf.permissions;
  if (p === undefined) {
    ctx.report('top-level-permissions', 'workflow', 'no top-level `permissions:`, so every job without its own block gets the repository\'s default GITHUB_TOKEN scopes (often read/write on everything). Add `permissions: {}` at the top and grant scopes per job.');
  } else if (!isObject(p) || Object.keys(p).length > 0) {
    ctx.report('top-level-permissions', 'workflow', `top-level \`permissions: ${JSON.stringify(p)}\` grants scopes to every job. Use \`permissions: {}\` at the top and grant each job only what its steps need.`);
  }
}

export function jobPermissions(ctx: Context): void {
  for (const job of ctx.jobs) {
    const p = job.raw.permissions;
    if (p === undefined) {
      ctx.report('job-permissions', `job "${job.id}"`, 'the job declares no `permissions:`; declare them explicitly (`{}` if it needs none) so that what it can do is visible and does not change with the top level.');
    } else if (!isObject(p)) {
      ctx.report('job-permissions', `job "${job.id}"`, `\`permissions: ${String(p)}\` grants every scope at once; list only the scopes the job's steps need.`);
    }
  }
}

export function leastPrivilege(ctx: Context): void {
  const workflowToken = GITHUB_TOKEN.test(JSON.stringify(ctx.wf.env ?? {}));
  for (const job of ctx.jobs) {
    const p = job.raw.permissions;
    if (!isObject(p)) continue;
    const jobToken = workflowToken || GITHUB_TOKEN.test(JSON.stringify(job.raw.env ?? {}));
    const checkoutWithToken = job.steps.some((s) => s.action === 'actions/checkout' && (s.raw.with?.token === undefined || GITHUB_TOKEN.test(String(s.raw.with.token))));
    const persisted = job.steps.some((s) => s.action === 'actions/checkout' && String(s.raw.with?.['persist-credentials']) !== 'false');
    const unknownAction = job.steps.find((s) => s.action && s.action !== 'actions/checkout' && !TOKENLESS_ACTIONS.includes(s.action));
    const tokenSteps = job.steps.filter((s) => jobToken || GITHUB_TOKEN.test(JSON.stringify({ env: s.raw.env, with: s.raw.with })));
    const readers = [...(checkoutWithToken ? ['actions/checkout'] : []), ...tokenSteps.map((s) => s.label)];
    const writes = tokenSteps.some((s) => s.run !== undefined && WRITING_COMMAND.test(s.run))
      || (checkoutWithToken && persisted && job.steps.some((s) => s.run !== undefined && /\bgit\s+push\b/.test(s.run)));
    for (const [scope, level] of Object.entries<any>(p)) {
      if (scope === 'id-token' || level === 'none') continue;
      if (unknownAction) continue; // an action we do not know may use any scope
      const where = `job "${job.id}"`;
      if (readers.length === 0) {
        ctx.report('least-privilege', where, `grants \`${scope}: ${level}\`, but no step can use the GITHUB_TOKEN: there is no actions/checkout and no step is given \`github.token\`/\`secrets.GITHUB_TOKEN\`. A job that neither checks out nor calls gh or the API needs no scope; drop it.`);
      } else if (scope !== 'contents' && !tokenSteps.length) {
        ctx.report('least-privilege', where, `grants \`${scope}: ${level}\`, but the only use of the GITHUB_TOKEN is actions/checkout, which needs \`contents: read\` alone; drop \`${scope}\`.`);
      } else if (level === 'write' && !writes) {
        ctx.report('least-privilege', where, `grants \`${scope}: write\`, but no step writes with the GITHUB_TOKEN (no git push, gh release/pr/issue, or API call with POST/PUT/PATCH/DELETE among ${readers.join(', ')}); \`${scope}: read\` is enough.`);
      }
    }
  }
}

export function idTokenOnlyForPublishing(ctx: Context): void {
  for (const job of ctx.jobs) {
    const level = isObject(job.raw.permissions) ? job.raw.permissions['id-token'] : undefined;
    if (level === undefined || level === 'none') continue;
    if (!job.steps.some((s) => s.action && [...PUBLISHING_ACTIONS, ...SIGNING_ACTIONS].includes(s.action))) {
      ctx.report('id-token-only-for-publishing', `job "${job.id}"`, `has \`id-token: ${level}\` but calls no publishing action (${PUBLISHING_ACTIONS.join(', ')}). An OIDC token can be exchanged for a PyPI upload token by any step of the job; grant it only to the job that publishes.`);
    }
  }
}

export function writePermissionReason(ctx: Context): void {
  const blocks: Array<[string, Array<string | number>, any]> = [['workflow', ['permissions'], ctx.wf.permissions]];
  for (const job of ctx.jobs) blocks.push([`job "${job.id}"`, ['jobs', job.id, 'permissions'], job.raw.permissions]);
  for (const [where, path, p] of blocks) {
    if (!isObject(p)) continue;
    for (const [scope, level] of Object.entries(p)) {
      if (level === 'write' && !ctx.comment([...path, scope])) {
        ctx.report('write-permission-reason', where, `\`${scope}: write\` has no comment; say on that line why the job must write (e.g. \`${scope}: write # push the release tag\`), so that a reviewer can tell whether it is still needed.`);
      }
    }
  }
}

/** In the order they run. */
export const PERMISSIONS_CHECKS: Check[] = [
  topLevelPermissions,
  jobPermissions,
  leastPrivilege,
  idTokenOnlyForPublishing,
  writePermissionReason,
];
