/**
 * A focused validator for the OpenAPI 3.1 documents WCE emits. No OpenAPI validator package is
 * installed, so this checks the rules of the specification our document could break: the
 * version, info, unique tags, path templates and their parameters, operation and response
 * objects (status keys, descriptions, media types with schemas), security requirements that
 * name declared schemes, `$ref`s that resolve inside the document, and schemas that are JSON
 * Schema 2020-12 (no 3.0-only `nullable`, valid `type` names, well-formed keywords).
 *
 * @example assert.deepEqual(openApiProblems(doc), [])
 */
type Json = any;

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const PATH_ITEM_FIELDS = new Set(['$ref', 'summary', 'description', 'servers', 'parameters', 'additionalOperations']);
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const PARAM_IN = new Set(['path', 'query', 'header', 'cookie']);
const SCHEME_TYPES = new Set(['apiKey', 'http', 'oauth2', 'openIdConnect', 'mutualTLS']);
const STATUS = /^([1-5]XX|[1-5]\d\d|default)$/;
const MEDIA_TYPE = /^[\w*.+-]+\/[\w*.+-]+$/;

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value a local `$ref` (`#/components/schemas/Error`) points at, or undefined. */
function pointer(doc: Json, ref: string): Json {
  let target = doc;
  for (const part of ref.slice(2).split('/')) target = target?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return target;
}

function checkSchema(doc: Json, schema: Json, where: string, problems: string[], depth = 0): void {
  if (typeof schema === 'boolean') return;
  if (!isObject(schema)) { problems.push(`${where}: a schema must be an object or a boolean`); return; }
  if (depth > 64) { problems.push(`${where}: nested too deeply`); return; }
  if ('nullable' in schema) problems.push(`${where}: "nullable" is OpenAPI 3.0; 3.1 uses type "null"`);
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#') && pointer(doc, schema.$ref) === undefined) {
    problems.push(`${where}: $ref ${schema.$ref} resolves to nothing`);
  }
  if ('type' in schema) {
    const types = [schema.type].flat();
    for (const type of types) if (!TYPES.has(type)) problems.push(`${where}: unknown type ${JSON.stringify(type)}`);
  }
  if ('required' in schema && !(Array.isArray(schema.required) && schema.required.every((r: unknown) => typeof r === 'string'))) {
    problems.push(`${where}: "required" must be an array of names`);
  }
  if ('enum' in schema && !Array.isArray(schema.enum)) problems.push(`${where}: "enum" must be an array`);
  for (const key of ['properties', 'patternProperties', '$defs']) {
    if (key in schema) {
      if (!isObject(schema[key])) problems.push(`${where}: "${key}" must be an object`);
      else for (const [name, child] of Object.entries(schema[key])) checkSchema(doc, child, `${where}.${key}.${name}`, problems, depth + 1);
    }
  }
  for (const key of ['items', 'additionalProperties', 'not', 'contains', 'if', 'then', 'else']) {
    if (key in schema) checkSchema(doc, schema[key], `${where}.${key}`, problems, depth + 1);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    if (key in schema) {
      if (!Array.isArray(schema[key]) || schema[key].length === 0) problems.push(`${where}: "${key}" must be a non-empty array`);
      else schema[key].forEach((child: Json, i: number) => checkSchema(doc, child, `${where}.${key}[${i}]`, problems, depth + 1));
    }
  }
}

function checkContent(doc: Json, content: Json, where: string, problems: string[]): void {
  if (!isObject(content)) { problems.push(`${where}: content must be an object`); return; }
  for (const [type, media] of Object.entries(content)) {
    if (!MEDIA_TYPE.test(type)) problems.push(`${where}: "${type}" is not a media type`);
    if (!isObject(media)) problems.push(`${where}.${type}: a media type object is needed`);
    else if (media.schema !== undefined) checkSchema(doc, media.schema, `${where}.${type}.schema`, problems);
  }
}

function checkParameters(doc: Json, path: string, parameters: Json, where: string, problems: string[]): void {
  const templated = new Set([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
  const seen = new Set<string>();
  const inPath = new Set<string>();
  for (const [i, p] of (Array.isArray(parameters) ? parameters : []).entries()) {
    const at = `${where}.parameters[${i}]`;
    if (!isObject(p) || typeof p.name !== 'string' || !PARAM_IN.has(p.in)) { problems.push(`${at}: needs a name and "in" (path, query, header, cookie)`); continue; }
    const key = `${p.in}:${p.name}`;
    if (seen.has(key)) problems.push(`${at}: ${key} appears twice`);
    seen.add(key);
    if (p.in === 'path') {
      inPath.add(p.name);
      if (p.required !== true) problems.push(`${at}: path parameter ${p.name} must be required`);
      if (!templated.has(p.name)) problems.push(`${at}: path parameter ${p.name} is not in ${path}`);
    }
    if (p.schema === undefined && p.content === undefined) problems.push(`${at}: needs a schema or content`);
    if (p.schema !== undefined) checkSchema(doc, p.schema, `${at}.schema`, problems);
  }
  for (const name of templated) if (!inPath.has(name)) problems.push(`${where}: {${name}} of ${path} has no path parameter`);
}

function checkOperation(doc: Json, path: string, method: string, op: Json, problems: string[], tags: Set<string>, ids: Set<string>): void {
  const where = `${method.toUpperCase()} ${path}`;
  if (!isObject(op)) { problems.push(`${where}: an operation must be an object`); return; }
  checkParameters(doc, path, op.parameters, where, problems);
  if (op.requestBody !== undefined) {
    if (!isObject(op.requestBody?.content) || Object.keys(op.requestBody.content).length === 0) problems.push(`${where}: requestBody needs content`);
    else checkContent(doc, op.requestBody.content, `${where}.requestBody`, problems);
  }
  if (!isObject(op.responses) || Object.keys(op.responses).length === 0) problems.push(`${where}: no responses`);
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    if (!STATUS.test(status)) problems.push(`${where}: "${status}" is not a status code`);
    if (!isObject(response) || typeof response.description !== 'string') { problems.push(`${where} ${status}: a response needs a description`); continue; }
    if (response.content !== undefined) checkContent(doc, response.content, `${where} ${status}`, problems);
  }
  for (const tag of op.tags ?? []) if (!tags.has(tag)) problems.push(`${where}: tag ${tag} is not declared`);
  for (const requirement of op.security ?? []) {
    for (const [name, scopes] of Object.entries(requirement as object)) {
      if (!isObject(doc.components?.securitySchemes?.[name])) problems.push(`${where}: security scheme ${name} is not declared`);
      if (!Array.isArray(scopes)) problems.push(`${where}: scopes of ${name} must be an array`);
    }
  }
  if (op.operationId !== undefined) {
    if (ids.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} is not unique`);
    ids.add(op.operationId);
  }
}

/** Every way `doc` breaks the parts of OpenAPI 3.1 it uses; empty when it is sound. */
export function openApiProblems(doc: Json): string[] {
  const problems: string[] = [];
  if (doc?.openapi !== '3.1.0') problems.push(`openapi must be "3.1.0", got ${JSON.stringify(doc?.openapi)}`);
  if (typeof doc?.info?.title !== 'string' || typeof doc?.info?.version !== 'string') problems.push('info needs a title and a version');
  if (!isObject(doc?.paths)) { problems.push('paths must be an object'); return problems; }
  const tagList = Array.isArray(doc.tags) ? doc.tags.map((t: Json) => t?.name) : [];
  const tags = new Set<string>(tagList);
  if (tags.size !== tagList.length) problems.push('tag names must be unique');
  for (const [name, scheme] of Object.entries(doc.components?.securitySchemes ?? {}) as Array<[string, Json]>) {
    if (!SCHEME_TYPES.has(scheme?.type)) problems.push(`security scheme ${name}: unknown type`);
    if (scheme?.type === 'apiKey' && (!scheme.name || !['query', 'header', 'cookie'].includes(scheme.in))) problems.push(`security scheme ${name}: apiKey needs name and in`);
    if (scheme?.type === 'http' && typeof scheme.scheme !== 'string') problems.push(`security scheme ${name}: http needs a scheme`);
  }
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) checkSchema(doc, schema, `components.schemas.${name}`, problems);
  const ids = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths) as Array<[string, Json]>) {
    if (!path.startsWith('/')) problems.push(`path ${path} must start with /`);
    for (const [key, value] of Object.entries(item ?? {})) {
      if (METHODS.has(key)) checkOperation(doc, path, key, value, problems, tags, ids);
      else if (!PATH_ITEM_FIELDS.has(key) && !key.startsWith('x-')) problems.push(`${path}: unknown field ${key}`);
    }
  }
  return problems;
}
