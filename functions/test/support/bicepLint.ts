/**
 * Offline checks of the Bicep in infra/. The Bicep CLI cannot be installed on the build
 * machines, so every .bicep file is parsed with tree-sitter-bicep's WebAssembly grammar and the
 * syntax trees are checked against the project's rules. `az bicep build` in the deploy workflow
 * remains the full compiler check; these rules catch what it would not (or catch it sooner).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';

export type Rule =
  | 'syntax'
  | 'param-description'
  | 'resource-tags'
  | 'api-version'
  | 'secret-output'
  | 'module-params'
  | 'module-outputs'
  | 'conditional-output'
  | 'conditional-scope'
  | 'rbac-vault-policies'
  | 'app-settings';

export interface Finding {
  rule: Rule;
  file: string;
  line: number;
  message: string;
}

/** A setting the Function App must have. A connection is satisfied by NAME or by NAME__property (identity-based). */
export interface RequiredSetting {
  name: string;
  connection: boolean;
  /** Who reads it, for the message. */
  readBy: string;
}

/**
 * Resource types that cannot carry tags: extension and child resources whose ARM schema has no
 * tags property at the API versions used here. Every other resource must be tagged.
 */
export const UNTAGGABLE_TYPES: ReadonlySet<string> = new Set(
  [
    'Microsoft.Authorization/roleAssignments',
    'Microsoft.Storage/storageAccounts/blobServices',
    'Microsoft.Storage/storageAccounts/blobServices/containers',
    'Microsoft.ServiceBus/namespaces/queues',
    'Microsoft.Web/sites/config',
    'Microsoft.Web/staticSites/linkedBackends',
    'Microsoft.CognitiveServices/accounts/deployments',
    'Microsoft.Communication/emailServices/domains/senderUsernames',
  ].map((type) => type.toLowerCase()),
);

/** Functions whose result is a key, a connection string or a token: never in an output. */
const SECRET_FUNCTION = /^list/i;
/** Properties that hold keys or connection strings. */
const SECRET_PROPERTY = /connectionstring|primarykey|secondarykey|password|accountkey|masterkey/i;
/** Output names that announce a secret. */
const SECRET_NAME = /password|secret|connection_?string|apikey|api_key|accesskey|access_key|accountkey|sas_?token|primarykey/i;
const API_VERSION = /@\d{4}-\d{2}-\d{2}(-[a-z]+)?$/i;

let parser: Promise<Parser> | undefined;

/** One parser for the whole run; loading the grammar takes a moment. */
export function bicepParser(): Promise<Parser> {
  parser ??= (async () => {
    await Parser.init();
    const wasm = createRequire(import.meta.url).resolve('tree-sitter-bicep/tree-sitter-bicep.wasm');
    const created = new Parser();
    created.setLanguage(await Language.load(wasm));
    return created;
  })();
  return parser;
}

interface BicepFile {
  /** Absolute path. */
  path: string;
  /** Path in findings. */
  shown: string;
  root: Node;
}

interface ResourceInfo {
  node: Node;
  symbol: string;
  /** As written, e.g. Microsoft.Web/sites@2024-04-01, or config@... when nested. */
  typeText: string | null;
  /** Fully qualified type without version, e.g. Microsoft.Web/sites/config. */
  fullType: string | null;
  existing: boolean;
  body: Node | null;
}

const lineOf = (node: Node) => node.startPosition.row + 1;

/** The literal text of a string node, or null when it interpolates. */
function literal(node: Node | null | undefined): string | null {
  if (!node || node.type !== 'string') return null;
  if (node.namedChildren.some((child) => child.type === 'interpolation')) return null;
  return node.namedChildren
    .filter((child) => child.type === 'string_content' || child.type === 'escape_sequence')
    .map((child) => child.text)
    .join('');
}

/** The key of an object property: an identifier or a literal string. */
function propertyKey(property: Node): string | null {
  const key = property.namedChildren[0];
  if (!key) return null;
  if (key.type === 'identifier' || key.type === 'compatible_identifier') return key.text;
  return literal(key);
}

function property(object: Node | null, key: string): Node | null {
  if (!object || object.type !== 'object') return null;
  for (const child of object.namedChildren) {
    if (child.type === 'object_property' && propertyKey(child) === key) return child.namedChildren.at(-1) ?? null;
  }
  return null;
}

/** Name of the function a call expression calls: `listKeys` in both `listKeys(x)` and `account.listKeys()`. */
function calledName(call: Node): string | null {
  const callee = call.namedChildren[0];
  if (!callee) return null;
  if (callee.type === 'identifier') return callee.text;
  if (callee.type === 'member_expression') return callee.namedChildren.at(-1)?.text ?? null;
  return null;
}

/** A declaration's decorators by name, each with the text of its arguments: `@minValue(40)` gives minValue → '40'. */
function decorators(declaration: Node): Map<string, string> {
  const previous = declaration.previousNamedSibling;
  if (!previous || previous.type !== 'decorators') return new Map();
  const calls = previous.namedChildren
    .map((decorator) => decorator.namedChildren.find((child) => child.type === 'call_expression'))
    .filter((call): call is Node => call !== undefined && call !== null);
  return new Map(
    calls.flatMap((call) => {
      const name = calledName(call);
      const args = call.namedChildren.find((child) => child.type === 'arguments')?.text.replace(/^\(|\)$/g, '').trim() ?? '';
      return name === null ? [] : [[name, args] as const];
    }),
  );
}

function decoratorNames(declaration: Node): string[] {
  return [...decorators(declaration).keys()];
}

function declaredName(declaration: Node): string {
  return declaration.namedChildren.find((child) => child.type === 'identifier')?.text ?? '?';
}

function descendants(node: Node, type: string): Node[] {
  return node.descendantsOfType(type).filter((found): found is Node => found !== null);
}

/** The object that configures a resource or module, behind `if (...)` and `[for ...: ...]`. */
function bodyOf(declaration: Node): Node | null {
  let body = declaration.namedChildren.find((child) => ['object', 'if_statement', 'for_statement'].includes(child.type)) ?? null;
  while (body && body.type !== 'object') {
    const inner: Node[] = body.namedChildren.filter((child) => ['object', 'if_statement', 'for_statement'].includes(child.type));
    body = inner.at(-1) ?? null;
  }
  return body;
}

function resourcesOf(file: BicepFile): ResourceInfo[] {
  const found: ResourceInfo[] = [];
  const visit = (declaration: Node, parentType: string | null) => {
    const typeText = literal(declaration.namedChildren.find((child) => child.type === 'string'));
    const bare = typeText?.split('@')[0] ?? null;
    const fullType = bare === null ? null : parentType ? `${parentType}/${bare}` : bare;
    const body = bodyOf(declaration);
    found.push({
      node: declaration,
      symbol: declaredName(declaration),
      typeText,
      fullType,
      existing: declaration.children.some((child) => child.type === 'existing'),
      body,
    });
    for (const child of body?.namedChildren ?? []) {
      const nested = child.type === 'object_property' ? child.namedChildren.find((c) => c.type === 'resource_declaration') : undefined;
      if (nested) visit(nested, fullType);
    }
  };
  for (const declaration of file.root.namedChildren) {
    if (declaration.type === 'resource_declaration') visit(declaration, null);
  }
  return found;
}

function syntaxFindings(file: BicepFile): Finding[] {
  const findings: Finding[] = [];
  const visit = (node: Node) => {
    if (node.type === 'ERROR' || node.isMissing) {
      const what = node.isMissing ? `missing ${node.type}` : `unexpected ${JSON.stringify(node.text.slice(0, 40))}`;
      findings.push({ rule: 'syntax', file: file.shown, line: lineOf(node), message: `syntax error: ${what}` });
      return;
    }
    for (const child of node.children) visit(child);
  };
  visit(file.root);
  if (file.root.hasError && findings.length === 0) {
    findings.push({ rule: 'syntax', file: file.shown, line: 1, message: 'syntax error' });
  }
  return findings;
}

function parameterFindings(file: BicepFile): Finding[] {
  return file.root.namedChildren
    .filter((node) => node.type === 'parameter_declaration' && !decoratorNames(node).includes('description'))
    .map((node) => ({
      rule: 'param-description' as const,
      file: file.shown,
      line: lineOf(node),
      message: `param ${declaredName(node)} has no @description`,
    }));
}

function resourceFindings(file: BicepFile): Finding[] {
  const findings: Finding[] = [];
  for (const resource of resourcesOf(file)) {
    const at = { file: file.shown, line: lineOf(resource.node) };
    if (!resource.typeText || !API_VERSION.test(resource.typeText)) {
      findings.push({
        rule: 'api-version',
        ...at,
        message: `resource ${resource.symbol} '${resource.typeText ?? '?'}' has no explicit API version (Type@yyyy-mm-dd)`,
      });
    }
    const taggable = resource.fullType !== null && !UNTAGGABLE_TYPES.has(resource.fullType.toLowerCase());
    if (!resource.existing && taggable && resource.body && !property(resource.body, 'tags')) {
      findings.push({ rule: 'resource-tags', ...at, message: `resource ${resource.symbol} (${resource.fullType}) has no tags` });
    }
  }
  return findings;
}

function outputFindings(file: BicepFile): Finding[] {
  const secureParams = new Set(
    file.root.namedChildren
      .filter((node) => node.type === 'parameter_declaration' && decoratorNames(node).includes('secure'))
      .map(declaredName),
  );
  const findings: Finding[] = [];
  for (const output of file.root.namedChildren.filter((node) => node.type === 'output_declaration')) {
    const name = declaredName(output);
    const value = output.namedChildren.at(-1);
    const problems: string[] = [];
    if (decoratorNames(output).includes('secure')) problems.push('is @secure()');
    if (SECRET_NAME.test(name)) problems.push('has a name that announces a secret');
    if (value) {
      const calls = [value, ...descendants(value, 'call_expression')].filter((node) => node.type === 'call_expression');
      for (const call of calls) {
        const called = calledName(call);
        if (called && SECRET_FUNCTION.test(called)) problems.push(`calls ${called}()`);
      }
      for (const identifier of [value, ...descendants(value, 'identifier')].filter((node) => node.type === 'identifier')) {
        if (secureParams.has(identifier.text)) problems.push(`returns the @secure() param ${identifier.text}`);
      }
      for (const member of descendants(value, 'property_identifier')) {
        if (SECRET_PROPERTY.test(member.text)) problems.push(`reads .${member.text}`);
      }
    }
    if (problems.length > 0) {
      const message = `output ${name} ${[...new Set(problems)].join(', ')}`;
      findings.push({ rule: 'secret-output', file: file.shown, line: lineOf(output), message });
    }
  }
  return findings;
}

interface ModuleTarget {
  params: Map<string, { required: boolean }>;
  outputs: Set<string>;
}

function moduleTarget(file: BicepFile): ModuleTarget {
  const params = new Map<string, { required: boolean }>();
  const outputs = new Set<string>();
  for (const node of file.root.namedChildren) {
    if (node.type === 'parameter_declaration') params.set(declaredName(node), { required: !node.children.some((c) => c.type === '=') });
    if (node.type === 'output_declaration') outputs.add(declaredName(node));
  }
  return { params, outputs };
}

/** Params handed to local modules exist there, required ones are given, and every `m.outputs.x` exists. */
function moduleFindings(file: BicepFile, byPath: Map<string, BicepFile>, broken: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const targets = new Map<string, ModuleTarget>();
  for (const module of file.root.namedChildren.filter((node) => node.type === 'module_declaration')) {
    const symbol = declaredName(module);
    const path = literal(module.namedChildren.find((child) => child.type === 'string'));
    if (!path || /^(br|ts)[:/]/.test(path)) continue;
    const at = { file: file.shown, line: lineOf(module) };
    const target = byPath.get(resolve(dirname(file.path), path));
    if (!target) {
      findings.push({ rule: 'module-params', ...at, message: `module ${symbol} points at ${path}, which is not a .bicep file here` });
      continue;
    }
    if (broken.has(target.path)) continue; // its own syntax findings say enough
    const expected = moduleTarget(target);
    targets.set(symbol, expected);
    const given = property(bodyOf(module), 'params');
    const givenNames = new Set(
      (given?.type === 'object' ? given.namedChildren : []).filter((c) => c.type === 'object_property').map(propertyKey),
    );
    for (const name of givenNames) {
      if (name !== null && !expected.params.has(name)) {
        findings.push({ rule: 'module-params', ...at, message: `module ${symbol} passes ${name}, which ${target.shown} does not declare` });
      }
    }
    for (const [name, { required }] of expected.params) {
      if (required && !givenNames.has(name)) {
        findings.push({ rule: 'module-params', ...at, message: `module ${symbol} does not pass the required param ${name} of ${target.shown}` });
      }
    }
  }
  for (const member of descendants(file.root, 'member_expression')) {
    const [object, name] = [member.namedChildren[0], member.namedChildren.at(-1)];
    if (object?.type !== 'member_expression' || object.namedChildren.at(-1)?.text !== 'outputs') continue;
    const symbol = object.namedChildren[0];
    const target = symbol?.type === 'identifier' ? targets.get(symbol.text) : undefined;
    if (target && name && !target.outputs.has(name.text)) {
      findings.push({
        rule: 'module-outputs',
        file: file.shown,
        line: lineOf(member),
        message: `${symbol?.text}.outputs.${name.text} is not an output of that module`,
      });
    }
  }
  return findings;
}

/**
 * What recent Bicep warns about, or ARM refuses, around conditions and vaults:
 * - `X.outputs.y` of a module deployed `if (...)` may be null (warning BCP318,
 *   https://learn.microsoft.com/azure/azure-resource-manager/bicep/diagnostics/bcp318): read `X.?outputs.y`;
 * - a resource scoped to an `existing ... = if (...)` resource gets a scope with an empty name when
 *   the condition is false: declare it where the resource is, under the same condition;
 * - a Key Vault with `enableRbacAuthorization: true` still needs `accessPolicies` (required unless
 *   createMode is recover: https://learn.microsoft.com/javascript/api/@azure/arm-keyvault/vaultproperties);
 *   RBAC makes the empty list ignored.
 */
function conditionFindings(file: BicepFile): Finding[] {
  const text = file.root.text;
  const lineAt = (index: number) => text.slice(0, index).split('\n').length;
  const findings: Finding[] = [];
  for (const [, symbol] of text.matchAll(/^module (\w+) '[^']+' = if\b/gm)) {
    for (const read of text.matchAll(new RegExp(`\\b${symbol}\\.outputs\\.(\\w+)`, 'g'))) {
      const message = `${symbol}.outputs.${read[1]} reads a module deployed only under a condition (BCP318): read ${symbol}.?outputs.${read[1]}`;
      findings.push({ rule: 'conditional-output', file: file.shown, line: lineAt(read.index), message });
    }
  }
  for (const [, symbol] of text.matchAll(/^resource (\w+) '[^']+' existing = if\b/gm)) {
    for (const scoped of text.matchAll(new RegExp(`^\\s*scope: ${symbol}\\s*$`, 'gm'))) {
      const message = `a resource is scoped to ${symbol}, which exists only under a condition: its name is empty otherwise`;
      findings.push({ rule: 'conditional-scope', file: file.shown, line: lineAt(scoped.index), message });
    }
  }
  for (const node of file.root.namedChildren) {
    if (node.type !== 'resource_declaration' || !node.text.includes("'Microsoft.KeyVault/vaults@")) continue;
    if (/^\s*enableRbacAuthorization: true$/m.test(node.text) && !/^\s*accessPolicies:/m.test(node.text)) {
      const message = `resource ${declaredName(node)} uses RBAC but sets no accessPolicies, which ARM requires: set accessPolicies: []`;
      findings.push({ rule: 'rbac-vault-policies', file: file.shown, line: lineOf(node), message });
    }
  }
  return findings;
}

/** Top-level keys an app settings expression sets: object literals, union(), ternaries, variables. */
function settingKeys(expression: Node, file: BicepFile, keys: Set<string>, unresolved: Node[]): void {
  switch (expression.type) {
    case 'object':
      for (const child of expression.namedChildren) {
        if (child.type !== 'object_property') continue;
        const key = propertyKey(child);
        if (key === null) unresolved.push(child);
        else keys.add(key);
      }
      return;
    case 'call_expression': {
      const args = expression.namedChildren.find((child) => child.type === 'arguments');
      if (calledName(expression) !== 'union' || !args) break;
      for (const arg of args.namedChildren) settingKeys(arg, file, keys, unresolved);
      return;
    }
    case 'ternary_expression': {
      const [, consequence, alternative] = expression.namedChildren;
      if (consequence) settingKeys(consequence, file, keys, unresolved);
      if (alternative) settingKeys(alternative, file, keys, unresolved);
      return;
    }
    case 'parenthesized_expression': {
      const inner = expression.namedChildren[0];
      if (inner) settingKeys(inner, file, keys, unresolved);
      return;
    }
    case 'identifier': {
      const variable = file.root.namedChildren.find((node) => node.type === 'variable_declaration' && declaredName(node) === expression.text);
      const value = variable?.namedChildren.at(-1);
      if (value) {
        settingKeys(value, file, keys, unresolved);
        return;
      }
      break;
    }
  }
  unresolved.push(expression);
}

/** Every required setting is set by a Microsoft.Web/sites/config 'appsettings' resource. */
function appSettingFindings(files: BicepFile[], required: readonly RequiredSetting[]): Finding[] {
  const findings: Finding[] = [];
  const keys = new Set<string>();
  let settingResources = 0;
  for (const file of files) {
    for (const resource of resourcesOf(file)) {
      if (resource.fullType?.toLowerCase() !== 'microsoft.web/sites/config') continue;
      if (literal(property(resource.body, 'name')) !== 'appsettings') continue;
      settingResources += 1;
      const properties = property(resource.body, 'properties');
      const unresolved: Node[] = [];
      if (properties) settingKeys(properties, file, keys, unresolved);
      for (const node of unresolved) {
        findings.push({
          rule: 'app-settings',
          file: file.shown,
          line: lineOf(node),
          message: `cannot tell which app settings ${JSON.stringify(node.text.slice(0, 40))} sets; write them as literal keys`,
        });
      }
    }
  }
  if (required.length > 0 && settingResources === 0) {
    return [{ rule: 'app-settings', file: '(infra)', line: 0, message: "no Microsoft.Web/sites/config 'appsettings' resource sets the Function App's settings" }];
  }
  for (const setting of required) {
    const set = keys.has(setting.name) || (setting.connection && [...keys].some((key) => key.startsWith(`${setting.name}__`)));
    if (!set) {
      findings.push({
        rule: 'app-settings',
        file: '(infra)',
        line: 0,
        message: `${setting.name}${setting.connection ? ' (or an identity-based ' + setting.name + '__*)' : ''}, read by ${setting.readBy}, is not set on the Function App`,
      });
    }
  }
  return findings;
}

function bicepFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.bicep'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export interface LintOptions {
  /** Folder whose .bicep files (recursively) are checked. */
  dir: string;
  /** Settings the Function App must have; empty skips the app-settings rule. */
  requiredSettings: readonly RequiredSetting[];
}

/** Every finding for every .bicep file under dir; an empty list means the templates pass. */
export async function lintBicep({ dir, requiredSettings }: LintOptions): Promise<Finding[]> {
  const bicep = await bicepParser();
  const files: BicepFile[] = bicepFilesUnder(dir).map((path) => {
    const tree = bicep.parse(readFileSync(path, 'utf8'));
    if (!tree) throw new Error(`tree-sitter could not parse ${path}`);
    return { path: resolve(path), shown: relative(dir, path) || basename(path), root: tree.rootNode };
  });
  if (files.length === 0) throw new Error(`no .bicep file under ${dir}`);
  const byPath = new Map(files.map((file) => [file.path, file]));
  const syntax = new Map(files.map((file) => [file.path, syntaxFindings(file)]));
  const broken = new Set(files.filter((file) => syntax.get(file.path)?.length).map((file) => file.path));
  const findings = files.flatMap((file) =>
    // A file that does not parse gives no trustworthy tree for the other rules.
    broken.has(file.path)
      ? (syntax.get(file.path) ?? [])
      : [
          ...parameterFindings(file),
          ...resourceFindings(file),
          ...outputFindings(file),
          ...moduleFindings(file, byPath, broken),
          ...conditionFindings(file),
        ],
  );
  return [...findings, ...appSettingFindings(files, requiredSettings)];
}

/** A parameter a .bicep file declares: its literal default, if any, and its decorators' arguments. */
export interface BicepParam {
  default: string | number | boolean | null;
  required: boolean;
  decorators: Map<string, string>;
}

/** The parameters a .bicep file declares, with the literal default when it has one. */
export async function bicepParams(path: string): Promise<Map<string, BicepParam>> {
  const tree = (await bicepParser()).parse(readFileSync(path, 'utf8'));
  if (!tree) throw new Error(`tree-sitter could not parse ${path}`);
  const params = new Map<string, BicepParam>();
  for (const node of tree.rootNode.namedChildren.filter((n) => n.type === 'parameter_declaration')) {
    const hasDefault = node.children.some((c) => c.type === '=');
    const value = hasDefault ? node.namedChildren.at(-1) : undefined;
    let fallback: string | number | boolean | null = null;
    if (value?.type === 'number') fallback = Number(value.text);
    else if (value?.type === 'boolean') fallback = value.text === 'true';
    else if (value?.type === 'string') fallback = literal(value);
    params.set(declaredName(node), { default: fallback, required: !hasDefault, decorators: decorators(node) });
  }
  return params;
}

/** The literal string value of a top-level `var NAME = '...'`, or null. */
export async function bicepStringVariable(path: string, name: string): Promise<string | null> {
  const tree = (await bicepParser()).parse(readFileSync(path, 'utf8'));
  const variable = tree?.rootNode.namedChildren.find((n) => n.type === 'variable_declaration' && declaredName(n) === name);
  return literal(variable?.namedChildren.at(-1));
}

/** A role assignment a .bicep file declares: on which resource symbol, with which built-in role id. */
export interface RoleAssignment {
  symbol: string;
  scope: string | null;
  roleDefinitionId: string | null;
}

/**
 * The role assignments of a file, with role ids resolved through a `var roles = { name: 'guid' }`
 * object where the template names them that way.
 */
export async function bicepRoleAssignments(path: string): Promise<RoleAssignment[]> {
  const text = readFileSync(path, 'utf8');
  const tree = (await bicepParser()).parse(text);
  if (!tree) throw new Error(`tree-sitter could not parse ${path}`);
  const named = new Map([...text.matchAll(/^\s*(\w+):\s*'([0-9a-f-]{36})'/gm)].map((match) => [match[1]!, match[2]!]));
  return tree.rootNode.namedChildren
    .filter((node) => node.type === 'resource_declaration' && node.text.includes("'Microsoft.Authorization/roleAssignments@"))
    .map((node) => {
      const role = /roleDefinitions',\s*(?:roles\.(\w+)|'([0-9a-f-]{36})')/.exec(node.text);
      return {
        symbol: declaredName(node),
        scope: /^\s*scope:\s*(\w+)/m.exec(node.text)?.[1] ?? null,
        roleDefinitionId: role ? (role[2] ?? named.get(role[1]!) ?? null) : null,
      };
    });
}
