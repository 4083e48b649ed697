import * as path from 'path';
import * as fc from 'fast-check';
import { YamlComments, yamlText } from '../src/workflow/yaml-text';

/**
 * Our YAML writer against the `yaml` package that projen writes its files with (v2, core schema,
 * indent 2, no folding): the same text for the same value, and `yaml` reads every value back
 * unchanged, for random JSON trees whose strings are made of what YAML treats specially.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml: typeof import('yaml') = require(require.resolve('yaml', { paths: [path.dirname(require.resolve('projen/package.json'))] }));
const projenText = (value: unknown) => new yaml.Document(value).toString({ indent: 2, lineWidth: 0 });

const SEED = Number(process.env.FC_SEED ?? 20261201);
const RUNS = Number(process.env.FC_RUNS ?? 2000);

const pieces = fc.constantFrom(
  'a', 'run', ' ', '  ', '\t', '\n', '\n\n', ':', ': ', ' #', '#', '-', '- ', '?', '"', "'", '%', '---', '...', '|', '>', '*', '&', '!',
  '@', '`', ',', '[', ']', '{', '}', '${{ x }}', 'true', 'False', 'null', '~', '1', '0o7', '0x1F', '1.5', '.inf', '.NaN', '1e3', '+1',
  'on', 'yes', '\\', '\\u0000', '\u0000', '\u0007', '\u001b', '\u0085', '\u00a0', '\u2028', 'é', '😀', '\r',
);
const text = fc.array(pieces, { maxLength: 6 }).map((parts) => parts.join(''));
const tree = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('map'), tie('seq')),
  map: fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  seq: fc.array(tie('value'), { maxLength: 4 }),
}));

/** Strings for which our text is allowed to differ from `yaml`'s (both read back the same): see yaml-text.ts. */
function oneLineInstead(s: string, key: boolean): boolean {
  // eslint-disable-next-line no-control-regex
  return s.includes('\n') && (key || /[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(s) || /\n[\t ]+$/.test(s) || /^[\t\n ]*$/.test(s));
}
function hasOneLineInstead(value: unknown): boolean {
  if (typeof value === 'string') return oneLineInstead(value, false);
  if (Array.isArray(value)) return value.some(hasOneLineInstead);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => oneLineInstead(k, true) || hasOneLineInstead(v));
  return false;
}

describe('yamlText', () => {
  test('reads back as the same value, and is yaml\'s own text (random trees of tricky strings)', () => {
    let compared = 0;
    // JSON values (no -0, no undefined: undefined map values are the next test's).
    const json = fc.oneof(tree.map, tree.seq).map((v) => JSON.parse(JSON.stringify(v)));
    fc.assert(fc.property(json, (value) => {
      const ours = yamlText(value);
      expect(yaml.parse(ours)).toEqual(value);
      if (!hasOneLineInstead(value)) {
        expect(ours).toBe(projenText(value));
        compared++;
      }
    }), { seed: SEED, numRuns: RUNS });
    expect(compared).toBeGreaterThan(RUNS / 2);
  });

  test('undefined map values are left out, as JSON leaves them out (a workflow is rendered without a JSON round trip)', () => {
    const sparse = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), tie('map'), tie('seq')),
      map: fc.dictionary(text, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 4 }),
      seq: fc.array(tie('value'), { maxLength: 4 }),
    }));
    fc.assert(fc.property(fc.oneof(sparse.map, sparse.seq), (value) => {
      expect(yamlText(value)).toBe(yamlText(JSON.parse(JSON.stringify(value))));
    }), { seed: SEED, numRuns: RUNS });
    expect(yamlText({ strategy: { 'fail-fast': undefined }, steps: [{ run: 'x', if: undefined }] })).toBe('strategy: {}\nsteps:\n  - run: x\n');
  });

  test('a workflow-shaped value: block scripts, quoted cron and versions, empty maps, comments after chosen scalars', () => {
    const step = { name: 'Build', uses: 'actions/checkout@abc', with: { 'persist-credentials': false } };
    const permissions = { contents: 'write', id_token: 'none' };
    const value = {
      name: 'Release',
      on: { schedule: [{ cron: '0 3 * * 1' }], workflow_dispatch: { inputs: { version: { type: 'string', default: '1.0' } } } },
      permissions: {},
      jobs: { build: { 'permissions': permissions, 'timeout-minutes': 30, 'steps': [step, { run: 'set -euo pipefail\necho "$X"\n' }, { run: '  indented\n' }], 'needs': [] } },
    };
    const comments: YamlComments = new WeakMap<object, Map<string, string>>([[step, new Map([['uses', ' v7.0.1']])], [permissions, new Map([['contents', ' pushes the tag']])]]);
    const ours = yamlText(value, comments);
    expect(ours).toBe([
      'name: Release',
      'on:',
      '  schedule:',
      '    - cron: 0 3 * * 1',
      '  workflow_dispatch:',
      '    inputs:',
      '      version:',
      '        type: string',
      '        default: "1.0"',
      'permissions: {}',
      'jobs:',
      '  build:',
      '    permissions:',
      '      contents: write # pushes the tag',
      '      id_token: none',
      '    timeout-minutes: 30',
      '    steps:',
      '      - name: Build',
      '        uses: actions/checkout@abc # v7.0.1',
      '        with:',
      '          persist-credentials: false',
      '      - run: |',
      '          set -euo pipefail',
      '          echo "$X"',
      '      - run: |2',
      '            indented',
      '    needs: []',
      '',
    ].join('\n'));
    const doc = new yaml.Document(value);
    (doc.getIn(['jobs', 'build', 'steps', 0, 'uses'], true) as any).comment = ' v7.0.1';
    (doc.getIn(['jobs', 'build', 'permissions', 'contents'], true) as any).comment = ' pushes the tag';
    expect(ours).toBe(doc.toString({ indent: 2, lineWidth: 0 }));
  });
});
