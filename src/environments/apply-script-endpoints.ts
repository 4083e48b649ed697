/**
 * Part of the apply script (see apply-script.ts): the only endpoints it may call. A request is
 * built here from an endpoint's fixed path and parameters that each match their own pattern;
 * `api()` sends nothing that was not built here.
 */
export const ENDPOINTS_JS = String.raw`
const PARAMS = {
  owner: /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/,
  repo: /^(?!\.+$)[A-Za-z0-9._-]{1,100}$/,
  environment: NAMES.environment,
  login: NAMES.login,
  org: NAMES.login,
  team_slug: NAMES.teamSlug,
  app_slug: NAMES.appSlug,
  policy_id: /^[1-9][0-9]{0,15}$/,
  ruleset_id: /^[1-9][0-9]{0,15}$/,
};

const ENVIRONMENT = 'repos/{owner}/{repo}/environments/{environment}';
const ENDPOINTS = {
  user: { method: 'GET', path: 'users/{login}' },
  team: { method: 'GET', path: 'orgs/{org}/teams/{team_slug}' },
  app: { method: 'GET', path: 'apps/{app_slug}' },
  putEnvironment: { method: 'PUT', path: ENVIRONMENT },
  listPolicies: { method: 'GET', path: ENVIRONMENT + '/deployment-branch-policies', perPage: 100, list: 'branch_policies' },
  createPolicy: { method: 'POST', path: ENVIRONMENT + '/deployment-branch-policies' },
  deletePolicy: { method: 'DELETE', path: ENVIRONMENT + '/deployment-branch-policies/{policy_id}' },
  listSecrets: { method: 'GET', path: ENVIRONMENT + '/secrets', perPage: 100, list: 'secrets' },
  listVariables: { method: 'GET', path: ENVIRONMENT + '/variables', perPage: 30, list: 'variables' },
  listRulesets: { method: 'GET', path: 'repos/{owner}/{repo}/rulesets', perPage: 100, query: '&includes_parents=false' },
  createRuleset: { method: 'POST', path: 'repos/{owner}/{repo}/rulesets' },
  updateRuleset: { method: 'PUT', path: 'repos/{owner}/{repo}/rulesets/{ruleset_id}' },
};

const BUILT = new WeakSet();

/** The request for one of ENDPOINTS, its parameters checked and encoded. */
function endpoint(name, params) {
  const e = ENDPOINTS[name];
  if (!e) throw new Failure('internal: no endpoint "' + esc(name) + '".');
  const path = e.path.replace(/\{([a-z_]+)\}/g, (all, key) => {
    const value = params[key];
    const ok = PARAMS[key] && (typeof value === 'string' || typeof value === 'number') && PARAMS[key].test(String(value));
    if (!ok) throw new Failure('refusing ' + e.method + ' ' + e.path + ': ' + key + ' ' + show(value) + ' is not valid. Nothing else was sent.');
    return encodeURIComponent(String(value));
  });
  const request = Object.freeze({ name: name, method: e.method, path: path, perPage: e.perPage, list: e.list, query: e.query || '' });
  BUILT.add(request);
  return request;
}

function api(request, query, body) {
  if (!BUILT.has(request)) throw new Failure('internal: a request that was not built from the list of endpoints.');
  const args = ['api', '--method', request.method, '-H', 'Accept: application/vnd.github+json', '-H', 'X-GitHub-Api-Version: 2022-11-28', request.path + query];
  if (body !== undefined) args.push('--input', '-');
  const result = runGh(args, body === undefined ? undefined : JSON.stringify(body));
  if (result.status !== 0) throw apiErrorOf(result);
  const text = (result.stdout || '').trim();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Failure(request.method + ' ' + request.path + ': gh printed something that is not JSON: ' + show(text));
  }
}

/** Sends a request, or in a dry run prints a request that would change something. */
function send(ctx, request, body, query) {
  const q = query || '';
  if (ctx.dryRun && request.method !== 'GET') {
    out('  [dry-run] ' + request.method + ' ' + request.path + q);
    if (body !== undefined) out(JSON.stringify(body, null, 2).replace(/^/gm, '      '));
    return null;
  }
  out('  ' + request.method + ' ' + request.path + q);
  return api(request, q, body);
}

/** Every item of a paged listing; with missingOk, a 404 (no such environment yet) gives null. */
function listAll(ctx, request, missingOk) {
  const items = [];
  for (let page = 1; page <= 100; page++) {
    let response;
    try {
      response = send(ctx, request, undefined, '?per_page=' + request.perPage + '&page=' + page + request.query);
    } catch (e) {
      if (missingOk && e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
    const batch = Array.isArray(response) ? response : (response && Array.isArray(response[request.list]) ? response[request.list] : []);
    items.push(...batch.filter((item) => item && typeof item === 'object'));
    const total = response && !Array.isArray(response) && Number.isInteger(response.total_count) ? response.total_count : undefined;
    if (batch.length < request.perPage || (total !== undefined && items.length >= total)) break;
  }
  return items;
}

/** Turns an API error into a message that says what to do. */
function explain(error, what, hints, ctx) {
  if (!(error instanceof ApiError)) return error;
  let hint = hints[error.status];
  if (!hint && error.status === 401) hint = 'gh is not logged in, or its token expired: run "gh auth login".';
  if (!hint && error.status === 403) hint = 'your gh login may not administer ' + ctx.repository + ' (environments and rulesets need admin rights), or its token lacks the "repo" scope: check "gh auth status", or ask an admin to run this.';
  if (!hint && error.status === 404) hint = 'check that ' + ctx.repository + ' exists and that your gh login ("gh auth status") is an admin of it.';
  return new Failure(what + ' failed (' + describe(error) + ').' + (hint ? '\n  ' + hint : ''));
}
`;
