/**
 * A project directory on disk: read into a Project (push), and the files a Project makes
 * (pull). An area the directory does not have (no `endpoints/`, no `policies.json`) is not
 * managed: push leaves that part of the cenv alone, even with --prune.
 *
 * @example const local = readProject('examples/blog'); local.endpoints.length
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../client.ts';
import { endpointFile, endpointFileName, formatMigrations, formatPolicies, parseEndpointFile, parseMigrations, parsePolicies, parseTemplateFile, templateFile } from './formats.ts';
import { keyOf, type Project } from './model.ts';

export type Area = 'schema' | 'policies' | 'endpoints' | 'modules' | 'templates';

export interface LocalProject extends Project {
  /** Which areas the directory has. */
  managed: Set<Area>;
  /** The file each endpoint and template came from, by key (pull rewrites the same file). */
  files: Map<string, string>;
}

/** Files below `dir`, relative, with `/` separators, sorted; dot-files and READMEs left out. */
export function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && !/^readme(\.md)?$/i.test(entry.name)) out.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

function read(file: string): string {
  return readFileSync(file, 'utf8');
}

export function readProject(dir: string): LocalProject {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${dir} is not a directory`);
  const at = (name: string) => path.join(dir, name);
  const project: LocalProject = { migrations: [], grants: [], policies: [], endpoints: [], modules: [], templates: [], managed: new Set(), files: new Map() };
  if (existsSync(at('schema.sql'))) {
    project.managed.add('schema');
    project.migrations = parseMigrations(read(at('schema.sql')));
  }
  if (existsSync(at('policies.json'))) {
    project.managed.add('policies');
    Object.assign(project, parsePolicies(read(at('policies.json'))));
  }
  if (existsSync(at('endpoints'))) project.managed.add('endpoints');
  for (const file of filesBelow(at('endpoints')).filter((f) => f.endsWith('.star'))) {
    const endpoint = parseEndpointFile(read(path.join(at('endpoints'), file)), `endpoints/${file}`);
    const key = `endpoint ${keyOf.endpoint(endpoint)}`;
    if (project.files.has(key)) throw new CliError(`endpoints/${file} and ${project.files.get(key)} are both ${keyOf.endpoint(endpoint)}`);
    project.files.set(key, `endpoints/${file}`);
    project.endpoints.push(endpoint);
  }
  if (existsSync(at('modules'))) project.managed.add('modules');
  for (const file of filesBelow(at('modules')).filter((f) => f.endsWith('.star'))) {
    project.modules.push({ name: file, source: read(path.join(at('modules'), file)) });
  }
  if (existsSync(at('templates'))) project.managed.add('templates');
  for (const file of filesBelow(at('templates'))) {
    const template = parseTemplateFile(file, read(path.join(at('templates'), file)));
    if (!template) continue;
    const key = `template ${keyOf.template(template)}`;
    if (project.files.has(key)) throw new CliError(`templates/${file} and ${project.files.get(key)} are both the template ${template.path}`);
    project.files.set(key, `templates/${file}`);
    project.templates.push(template);
  }
  return project;
}

/**
 * Every file of a Project, relative path → text. Endpoints and templates keep the file name
 * they have in `existing` (a rename in the directory survives a pull).
 */
export function projectFiles(project: Project, existing: LocalProject | null): Map<string, string> {
  const files = new Map<string, string>();
  if (project.migrations.length > 0) files.set('schema.sql', formatMigrations(project.migrations));
  if (project.grants.length > 0 || project.policies.length > 0) files.set('policies.json', formatPolicies(project.grants, project.policies));
  for (const e of project.endpoints) {
    let name = existing?.files.get(`endpoint ${keyOf.endpoint(e)}`) ?? `endpoints/${endpointFileName(e)}`;
    for (let n = 2; files.has(name); n++) name = `endpoints/${endpointFileName(e).replace(/\.star$/, `-${n}.star`)}`;
    files.set(name, endpointFile(e));
  }
  for (const m of project.modules) files.set(`modules/${m.name}`, m.source);
  for (const t of project.templates) {
    const made = templateFile(t);
    files.set(existing?.files.get(`template ${keyOf.template(t)}`) ?? `templates/${made.file}`, made.text);
  }
  return files;
}

/**
 * Whether two texts of one project file say the same thing (a pull does not rewrite a file
 * that differs only in layout: JSON spacing, the order of header settings).
 */
export function equivalent(file: string, a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const read = (text: string) =>
      file === 'schema.sql' ? parseMigrations(text)
        : file === 'policies.json' ? parsePolicies(text)
          : file.startsWith('endpoints/') ? parseEndpointFile(text, file)
            : file.startsWith('templates/') ? parseTemplateFile(file.slice('templates/'.length), text)
              : text;
    return JSON.stringify(read(a)) === JSON.stringify(read(b));
  } catch {
    return false;
  }
}

/** The files of `dir` that pull manages (so it can say which ones the cenv no longer has). */
export function managedFiles(dir: string): string[] {
  const top = ['schema.sql', 'policies.json'].filter((f) => existsSync(path.join(dir, f)));
  const below = (area: string, keep: (f: string) => boolean) => filesBelow(path.join(dir, area)).filter(keep).map((f) => `${area}/${f}`);
  return [
    ...top,
    ...below('endpoints', (f) => f.endsWith('.star')),
    ...below('modules', (f) => f.endsWith('.star')),
    ...below('templates', (f) => /\.(liquid|html|md)$/.test(f)),
  ];
}
