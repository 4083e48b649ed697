import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';

/**
 * GitHub's published OpenAPI description (npm `@octokit/openapi`), to check the requests the
 * environments apply script sends. Only `generated/api.github.com.json` is read (13 MB): the
 * package's index would load every variant (~390 MB).
 */
const SPEC_FILE = path.resolve(__dirname, '../../../node_modules/@octokit/openapi/generated/api.github.com.json');
const BASE = 'https://api.github.com/openapi.json';

interface Loaded {
  spec: any;
  ajv: Ajv;
  templates: Array<{ template: string; segments: string[] }>;
  validators: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

/** Loads the description once per test file (jest isolates modules per file). */
function load(): Loaded {
  if (!loaded) {
    const spec = JSON.parse(fs.readFileSync(SPEC_FILE, 'utf-8'));
    // OpenAPI 3.0 schemas: `nullable`, `example`, `discriminator`... not strict JSON Schema.
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema({ $id: BASE, components: nullables(spec.components) });
    const templates = Object.keys(spec.paths).map((template) => ({ template, segments: template.split('/').slice(1) }));
    loaded = { spec, ajv, templates, validators: new Map() };
  }
  return loaded;
}

/** The schemas with an OpenAPI `nullable` but no `type` (which Ajv refuses) made "this, or null". */
function nullables(schema: any): any {
  if (Array.isArray(schema)) return schema.map(nullables);
  if (!schema || typeof schema !== 'object') return schema;
  const copy: any = {};
  for (const [k, v] of Object.entries(schema)) copy[k] = nullables(v);
  if (copy.nullable === true && copy.type === undefined) {
    delete copy.nullable;
    return { anyOf: [copy, { type: 'null' }] };
  }
  return copy;
}

/** `#/components/...` references of a request schema, pointed at the loaded components. */
function rebase(schema: any): any {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema && typeof schema === 'object') {
    const copy: any = {};
    for (const [k, v] of Object.entries(schema)) {
      copy[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${BASE}${v}` : rebase(v);
    }
    return nullables(copy);
  }
  return schema;
}

/** The OpenAPI path template a request path (`repos/o/r/...`, query ignored) belongs to. */
export function pathTemplate(requestPath: string): string | undefined {
  const segments = requestPath.split('?')[0].replace(/^\//, '').split('/');
  const candidates = load().templates.filter((t) => t.segments.length === segments.length
    && t.segments.every((s, i) => (s.startsWith('{') && s.endsWith('}') && segments[i] !== '') || s === segments[i]));
  // the most literal template wins (e.g. `.../environments/{name}/secrets` over a `{param}` there)
  candidates.sort((a, b) => b.segments.filter((s) => !s.startsWith('{')).length - a.segments.filter((s) => !s.startsWith('{')).length);
  return candidates[0]?.template;
}

/**
 * What is wrong with a request according to GitHub's OpenAPI description: an unknown path or
 * method, a missing or unexpected body, or a body its schema rejects. Empty when it is valid.
 */
export function requestProblems(method: string, requestPath: string, body?: unknown): string[] {
  const { spec, ajv, validators } = load();
  const template = pathTemplate(requestPath);
  if (!template) return [`${method} ${requestPath}: no such path in GitHub's REST API`];
  const operation = spec.paths[template][method.toLowerCase()];
  if (!operation) return [`${method} ${requestPath}: ${template} has no ${method}`];
  const requestBody = operation.requestBody;
  if (body === undefined) {
    return requestBody?.required ? [`${method} ${template}: a body is required`] : [];
  }
  const schema = requestBody?.content?.['application/json']?.schema;
  if (!schema) return [`${method} ${template}: takes no JSON body`];
  const key = `${method} ${template}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(rebase(schema));
    validators.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${key}: body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** The response schema of an operation exists and accepts `response` (for canned answers). */
export function responseProblems(method: string, requestPath: string, status: number, response: unknown): string[] {
  const { spec, ajv, validators } = load();
  const template = pathTemplate(requestPath);
  if (!template) return [`${method} ${requestPath}: no such path`];
  const schema = spec.paths[template][method.toLowerCase()]?.responses?.[String(status)]?.content?.['application/json']?.schema;
  if (!schema) return [`${method} ${template}: no JSON response for ${status}`];
  const key = `response ${status} ${method} ${template}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(rebase(schema));
    validators.set(key, validate);
  }
  if (validate(response)) return [];
  return (validate.errors ?? []).map((e) => `${key}: ${e.instancePath} ${e.message}`);
}
