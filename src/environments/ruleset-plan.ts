import { RepositoryRuleset } from './repository-ruleset';

/** A bypass actor in environments.json: the apply script looks its id up. */
export interface PlannedBypass {
  /** `User`, `Integration`, `Team`, `RepositoryRole` or `OrganizationAdmin`. */
  readonly type: string;
  readonly login?: string;
  readonly app?: string;
  readonly team?: string;
  readonly role?: string;
}

/** One ruleset in environments.json. */
export interface PlannedRuleset {
  readonly name: string;
  readonly target: string;
  readonly include: string[];
  readonly rules: string[];
  readonly requiredApprovals?: number;
  readonly bypass: PlannedBypass[];
}

/** The most bypass actors the apply script accepts on one ruleset. */
export const MAX_BYPASS = 10;

const FIELD: Record<string, keyof PlannedBypass | undefined> = {
  User: 'login',
  Integration: 'app',
  Team: 'team',
  RepositoryRole: 'role',
  OrganizationAdmin: undefined,
};

function bypassOf(actorType: string, actorName: string | undefined): PlannedBypass {
  const field = FIELD[actorType];
  return field ? { type: actorType, [field]: actorName } : { type: actorType };
}

/** The rules of a ruleset, as comparable text per property. */
function rulesOf(r: RepositoryRuleset): Record<string, string> {
  return {
    target: r.target,
    include: r.include.join(', '),
    rules: r.rules.join(', '),
    requiredApprovals: String(r.requiredApprovals ?? '-'),
  };
}

/**
 * Every ruleset of the tree, merged by name: rulesets of one name (e.g. the release branch of two
 * packages of a monorepo) must have the same rules, and their bypass actors add up, since an
 * actor bypasses only the rulesets that list it.
 */
export function planRulesets(rulesets: RepositoryRuleset[]): PlannedRuleset[] {
  const groups = new Map<string, RepositoryRuleset[]>();
  for (const r of rulesets) groups.set(r.rulesetName, [...(groups.get(r.rulesetName) ?? []), r]);
  const planned: PlannedRuleset[] = [];
  for (const [name, [first, ...others]] of groups) {
    const twin = [...groups.keys()].find((n) => n !== name && n.toLowerCase() === name.toLowerCase());
    if (twin) {
      throw new Error(`Rulesets "${name}" (${first.node.path}) and "${twin}" (${groups.get(twin)![0].node.path}) differ only in case; the apply task refuses such names. Use one spelling.`);
    }
    const rules = rulesOf(first);
    for (const other of others) {
      const theirs = rulesOf(other);
      const differ = Object.keys(rules).filter((k) => rules[k] !== theirs[k]);
      if (differ.length) {
        const what = differ.map((k) => `${k} is ${rules[k]} at ${first.node.path} but ${theirs[k]} at ${other.node.path}`).join('; ');
        throw new Error(`Ruleset "${name}" is defined twice with different rules: ${what}. Give both the same options, or give one of them another name.`);
      }
    }
    const bypass: PlannedBypass[] = [];
    const seen: string[] = [];
    for (const b of [first, ...others].flatMap((r) => r.bypass)) {
      if (seen.includes(b.toString())) continue;
      seen.push(b.toString());
      bypass.push(bypassOf(b.actorType, b.actorName));
    }
    if (bypass.length > MAX_BYPASS) {
      throw new Error(`Ruleset "${name}" has ${bypass.length} bypass actors; at most ${MAX_BYPASS} are applied. Use a team or a repository role for more people.`);
    }
    planned.push({
      name,
      target: first.target,
      include: [...first.include],
      rules: [...first.rules],
      requiredApprovals: first.requiredApprovals,
      bypass,
    });
  }
  return planned.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
