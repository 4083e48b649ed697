import { freshAssembly } from './helpers/assembly';

/**
 * API.md is generated from the assembly's docs: every public thing is documented there. The
 * assembly is compiled first when it is older than src/; a failed compile fails these tests.
 */
describe('the API docs (from the jsii assembly)', () => {
  let types: Array<[string, any]> = [];
  beforeAll(async () => {
    types = Object.entries<any>((await freshAssembly()).types);
  }, 600_000);

  test('every option (optional property of an options struct) says its @default', () => {
    const missing = types.flatMap(([fqn, t]) => (t.datatype ? t.properties ?? [] : [])
      .filter((p: any) => p.optional && p.docs?.default === undefined)
      .map((p: any) => `${fqn}.${p.name}`));
    expect(missing).toEqual([]);
  });

  test('every type, property and method has a summary', () => {
    const missing = types.flatMap(([fqn, t]) => [
      ...(t.docs?.summary ? [] : [fqn]),
      ...[...(t.properties ?? []), ...(t.methods ?? [])].filter((m: any) => !m.docs?.summary).map((m: any) => `${fqn}.${m.name}`),
    ]);
    expect(missing).toEqual([]);
  });

  test('it documents the two pipelines and their options', () => {
    const names = types.map(([fqn]) => fqn.split('.').pop());
    expect(names).toEqual(expect.arrayContaining(['PythonReleasePipeline', 'PythonReleasePipelineOptions', 'PypiPublishPipeline', 'PypiPublishPipelineOptions', 'PythonToolchain']));
  });
});
