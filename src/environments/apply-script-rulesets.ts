/**
 * Part of the apply script (see apply-script.ts): creates each repository ruleset, or updates the
 * repository's own ruleset of that name. Rulesets of other names are left alone.
 */
export const RULESETS_JS = String.raw`
// GitHub's ids of the built-in repository roles as ruleset bypass actors.
const ROLE_IDS = { maintain: 2, write: 4, admin: 5 };

function bypassActorOf(b, ids) {
  if (b.type === 'RepositoryRole') return { actor_id: ROLE_IDS[b.role], actor_type: b.type, bypass_mode: 'always' };
  if (b.type === 'OrganizationAdmin') return { actor_id: 1, actor_type: b.type, bypass_mode: 'always' };
  return { actor_id: idOf(ids, b), actor_type: b.type, bypass_mode: 'always' };
}

function ruleOf(type, ruleset) {
  if (type !== 'pull_request') return { type: type };
  return {
    type: type,
    parameters: {
      required_approving_review_count: ruleset.requiredApprovals,
      dismiss_stale_reviews_on_push: true,
      require_code_owner_review: false,
      require_last_push_approval: false,
      required_review_thread_resolution: false,
    },
  };
}

/** The body of POST .../rulesets and PUT .../rulesets/{id}: the whole ruleset, so re-applying converges. */
function rulesetBody(r, ids) {
  return {
    name: r.name,
    target: r.target,
    enforcement: 'active',
    bypass_actors: r.bypass.map((b) => bypassActorOf(b, ids)),
    conditions: { ref_name: { include: r.include, exclude: [] } },
    rules: r.rules.map((type) => ruleOf(type, r)),
  };
}

const RULESET_HINTS = {
  404: 'rulesets need a public repository, or GitHub Pro, Team or Enterprise for a private one; and your gh login must be an admin of it ("gh auth status").',
  422: 'GitHub refused the ruleset. Check that each bypass actor exists and may act on the repository (a GitHub App must be installed on it;'
    + '\n  a user needs write access), then fix the ruleset in your projen configuration, run "npx projen", and apply again.',
};

function applyRulesets(ctx, rulesets, ids) {
  if (!rulesets.length) return [];
  const repo = { owner: ctx.owner, repo: ctx.repo };
  out('');
  out('Rulesets:');
  let existing;
  try {
    existing = listAll(ctx, endpoint('listRulesets', repo), false);
  } catch (e) {
    throw explain(e, 'listing the rulesets of ' + ctx.repository, RULESET_HINTS, ctx);
  }
  const own = existing.filter((x) => x.source_type === undefined || x.source_type === 'Repository');
  const reports = [];
  for (const r of rulesets) {
    const same = own.filter((x) => x.name === r.name);
    if (same.length > 1) throw new Failure(ctx.repository + ' has ' + same.length + ' rulesets named "' + r.name + '"; delete all but one in the repository settings (Rules > Rulesets) and apply again.');
    const body = rulesetBody(r, ids);
    const where = 'the ' + r.target + ' ruleset "' + r.name + '" of ' + ctx.repository;
    try {
      if (same.length) send(ctx, endpoint('updateRuleset', Object.assign({ ruleset_id: same[0].id }, repo)), body);
      else send(ctx, endpoint('createRuleset', repo), body);
    } catch (e) {
      throw explain(e, (same.length ? 'updating ' : 'creating ') + where, RULESET_HINTS, ctx);
    }
    const done = same.length ? (ctx.dryRun ? 'would be updated' : 'updated') : (ctx.dryRun ? 'would be created' : 'created');
    reports.push('ruleset "' + r.name + '" (' + r.include.join(', ') + '; bypass: ' + r.bypass.map(describeBypass).join(', ') + '): ' + done);
  }
  return reports;
}

function describeBypass(b) {
  if (b.type === 'User') return 'user ' + b.login;
  if (b.type === 'Integration') return 'GitHub App ' + b.app;
  if (b.type === 'Team') return 'team ' + b.team;
  if (b.type === 'RepositoryRole') return 'repository role ' + b.role;
  return 'organization admins';
}
`;
