import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** One field or method of an interface, as the reference tables show it. */
export interface ReferenceMember {
  name: string;
  optional: boolean;
  kind: 'field' | 'method';
  /** The declared type, or a method's `(params) => Return` signature, on one line. */
  type: string;
  /** The TSDoc text, first paragraph, on one line. */
  doc: string;
}

/** An exported interface (with the members of the interfaces it extends in the same file). */
export interface ReferenceInterface {
  name: string;
  doc: string;
  members: ReferenceMember[];
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The TSDoc of a node as plain text, up to the first blank line or tag. */
function docOf(node: ts.Node, source: ts.SourceFile): string {
  const ranges = ts.getLeadingCommentRanges(source.text, node.pos) ?? [];
  const last = ranges.filter((range) => source.text.startsWith('/**', range.pos)).at(-1);
  if (!last) return '';
  const body = source.text
    .slice(last.pos + 3, last.end - 2)
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, ''))
    .join('\n');
  const firstParagraph = body.split(/\n\s*\n|\n@|^@/m)[0] ?? '';
  return oneLine(firstParagraph).replace(/\{@link\s+([^}\s]+)\s*\}/g, '`$1`');
}

function memberOf(member: ts.TypeElement, source: ts.SourceFile): ReferenceMember | null {
  if (!member.name || !(ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)))
    return null;
  const name = member.name.text;
  const optional = Boolean(member.questionToken);
  const doc = docOf(member, source);
  if (ts.isPropertySignature(member)) {
    return {
      name,
      optional,
      kind: 'field',
      type: oneLine(member.type?.getText(source) ?? 'unknown'),
      doc,
    };
  }
  if (ts.isMethodSignature(member)) {
    const params = member.parameters
      .map((parameter) => oneLine(parameter.getText(source)))
      .join(', ');
    const returns = oneLine(member.type?.getText(source) ?? 'void');
    return { name, optional, kind: 'method', type: `(${params}) => ${returns}`, doc };
  }
  return null;
}

/**
 * Reads the interfaces declared in a TypeScript file, without a type checker: the reference shows
 * types as written, which is what an author copies.
 */
export function readInterfaces(path: string | URL): Map<string, ReferenceInterface> {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(String(path), text, ts.ScriptTarget.Latest, true);
  const declared = new Map<string, { node: ts.InterfaceDeclaration; parents: string[] }>();
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const parents = (statement.heritageClauses ?? []).flatMap((clause) =>
      clause.types.map((type) => type.expression.getText(source)),
    );
    declared.set(statement.name.text, { node: statement, parents });
  }
  const resolve = (name: string, seen: Set<string>): ReferenceMember[] => {
    const entry = declared.get(name);
    if (!entry || seen.has(name)) return [];
    seen.add(name);
    const inherited = entry.parents.flatMap((parent) => resolve(parent, seen));
    const own = entry.node.members.flatMap((member) => memberOf(member, source) ?? []);
    const ownNames = new Set(own.map((member) => member.name));
    return [...inherited.filter((member) => !ownNames.has(member.name)), ...own];
  };
  const result = new Map<string, ReferenceInterface>();
  for (const [name, { node }] of declared) {
    result.set(name, { name, doc: docOf(node, source), members: resolve(name, new Set()) });
  }
  return result;
}
