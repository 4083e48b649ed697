/**
 * Part of the apply script (see apply-script.ts): looks up the ids of reviewers and bypass
 * actors, and applies each environment: PUT it, add the missing deployment policies, delete the
 * ones no longer configured, and report the secrets and variables it lacks.
 */
export const ENVIRONMENTS_JS = String.raw`
/** The look-up of a reviewer or bypass actor: its key, its endpoint, and what to print. */
function lookupOf(actor) {
  if (actor.type === 'User') return { key: 'user ' + actor.login, request: endpoint('user', { login: actor.login }), what: 'user ' + actor.login };
  if (actor.type === 'Team') return { key: 'team ' + actor.key, request: endpoint('team', { org: actor.org, team_slug: actor.slug }), what: 'team ' + actor.key };
  if (actor.type === 'Integration') return { key: 'app ' + actor.app, request: endpoint('app', { app_slug: actor.app }), what: 'GitHub App ' + actor.app };
  return undefined;
}

const LOOKUP_HINTS = {
  user: (name) => 'there is no GitHub user "' + name + '". Fix it in your projen configuration and run "npx projen".',
  team: (name) => 'there is no team "' + name + '", or gh cannot see it. Check the organization and the slug (the team\'s name in its URL), and that gh may read the organization\'s teams: "gh auth refresh -s read:org".',
  app: (name) => 'there is no GitHub App "' + name + '": use the slug from its page, https://github.com/apps/<slug>.',
};

/** Ids of every reviewer and bypass actor, by key; looked up before anything is changed. */
function resolveIds(ctx, config) {
  const wanted = [];
  for (const env of config.environments) for (const r of env.reviewers) wanted.push([r, 'reviewer "' + r.key + '" of environment "' + env.name + '"']);
  for (const rs of config.rulesets) {
    for (const b of rs.bypass) if (lookupOf(b)) wanted.push([b, 'bypass actor ' + lookupOf(b).what + ' of ruleset "' + rs.name + '"']);
  }
  const ids = {};
  if (wanted.length) out('Reviewers and bypass actors:');
  for (const [actor, label] of wanted) {
    const lookup = lookupOf(actor);
    if (!lookup || lookup.key in ids) continue;
    let found;
    try {
      found = send(ctx, lookup.request);
    } catch (e) {
      const name = lookup.key.slice(lookup.key.indexOf(' ') + 1);
      throw explain(e, 'looking up ' + label, { 404: LOOKUP_HINTS[lookup.request.name](name) }, ctx);
    }
    if (!found || !Number.isSafeInteger(found.id) || found.id <= 0) throw new Failure('looking up ' + lookup.what + ': GitHub returned no numeric id.');
    ids[lookup.key] = found.id;
    out('    ' + lookup.what + ' has id ' + found.id);
  }
  return ids;
}

function idOf(ids, actor) {
  const lookup = lookupOf(actor);
  if (!lookup || !(lookup.key in ids)) throw new Failure('internal: no id for ' + esc(actor.type) + '.');
  return ids[lookup.key];
}

/** The body of PUT .../environments/{name}: every rule, so that re-applying converges. */
function environmentBody(env, ids) {
  const kind = env.deploymentPolicy.kind;
  return {
    wait_timer: env.waitTimerMinutes,
    prevent_self_review: env.preventSelfReview,
    reviewers: env.reviewers.map((r) => ({ type: r.type, id: idOf(ids, r) })),
    deployment_branch_policy: kind === 'any' ? null : { protected_branches: kind === 'protected', custom_branch_policies: kind === 'custom' },
  };
}

function quote(s) {
  return /^[A-Za-z0-9._\/:=-]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
}

function applyEnvironment(ctx, env, ids) {
  const name = env.name;
  const at = { owner: ctx.owner, repo: ctx.repo, environment: name };
  const where = 'environment "' + name + '" of ' + ctx.repository;
  out('');
  out('Environment "' + name + '":');
  try {
    send(ctx, endpoint('putEnvironment', at), environmentBody(env, ids));
  } catch (e) {
    throw explain(e, 'creating or updating ' + where, {
      404: 'either ' + ctx.repository + ' does not exist or your gh login is not an admin of it ("gh auth status"),'
        + '\n  or the repository is private on GitHub Free, where deployment environments are not available:'
        + '\n  make the repository public, or move it to GitHub Pro, Team or Enterprise.',
      422: 'GitHub refused these settings. Check that every reviewer exists and has at least read access to ' + ctx.repository + ';'
        + '\n  in a private repository, required reviewers and wait timers need GitHub Enterprise (or make the repository public).'
        + '\n  Fix the environment in your projen configuration, run "npx projen", and apply again.',
    }, ctx);
  }

  const report = { name: name, policies: [], missingSecrets: [], missingVariables: [], unknown: [] };
  if (env.deploymentPolicy.kind === 'custom') {
    let existing;
    try {
      existing = listAll(ctx, endpoint('listPolicies', at), ctx.dryRun);
    } catch (e) {
      throw explain(e, 'listing the deployment policies of ' + where, {}, ctx);
    }
    if (existing === null) {
      existing = [];
      report.unknown.push('the environment does not exist yet, so it has no policies, secrets or variables');
    }
    const key = (p) => (p.type || 'branch') + ' ' + p.name;
    const wanted = env.deploymentPolicy.rules.map(key);
    for (const rule of env.deploymentPolicy.rules) {
      if (existing.some((p) => key(p) === key(rule))) {
        report.policies.push(key(rule) + ' (kept)');
        continue;
      }
      try {
        send(ctx, endpoint('createPolicy', at), { name: rule.name, type: rule.type });
      } catch (e) {
        throw explain(e, 'adding the ' + rule.type + ' policy "' + rule.name + '" to ' + where, {
          404: 'GitHub says the environment does not use custom deployment policies; apply again, and if it persists check the environment in the repository settings.',
          422: 'GitHub refused the pattern "' + rule.name + '". Fix deploymentPolicy in your projen configuration.',
        }, ctx);
      }
      report.policies.push(key(rule) + (ctx.dryRun ? ' (would be added)' : ' (added)'));
    }
    for (const stale of existing.filter((p) => !wanted.includes(key(p)))) {
      try {
        send(ctx, endpoint('deletePolicy', Object.assign({ policy_id: stale.id }, at)));
      } catch (e) {
        throw explain(e, 'removing the stale ' + esc(key(stale)) + ' policy from ' + where, {}, ctx);
      }
      report.policies.push(esc(key(stale)) + (ctx.dryRun ? ' (would be removed: no longer configured)' : ' (removed: no longer configured)'));
    }
  }

  for (const [kind, name2, names, missing] of [
    ['secret', 'listSecrets', env.secrets, report.missingSecrets],
    ['variable', 'listVariables', env.variables, report.missingVariables],
  ]) {
    if (!names.length) continue;
    let existing;
    try {
      existing = listAll(ctx, endpoint(name2, at), ctx.dryRun);
    } catch (e) {
      throw explain(e, 'listing the ' + kind + 's of ' + where, {
        403: 'listing environment ' + kind + 's needs admin rights on ' + ctx.repository + ' ("gh auth status").',
      }, ctx);
    }
    const have = (existing || []).map((s) => String(s.name).toUpperCase());
    for (const n of names) if (!have.includes(n.toUpperCase())) missing.push(n);
  }
  return report;
}
`;
