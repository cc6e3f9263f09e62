import { readFileSync } from 'node:fs';
import { type ReferenceInterface, readInterfaces } from './extract';

/** The repository root, so markers name files relative to it. */
const ROOT = new URL('../../', import.meta.url);

/** The guides that hold reference tables and embedded source files. */
export const REFERENCE_DOCS = ['docs/custom-adapter.md', 'docs/custom-store.md'] as const;

/**
 * A generated table sits between `<!-- reference <file> <Interface> -->` and `<!-- /reference -->`;
 * everything outside the markers is the guide's own prose.
 */
const MARKER = /(<!-- reference (\S+) (\w+) -->\n)[\s\S]*?(<!-- \/reference -->)/g;

/**
 * A source file shown whole sits between `<!-- file <path> -->` and `<!-- /file -->`, so the guide's
 * code is the code CI compiles and tests: the guide can be read alone and never drifts.
 */
const FILE_MARKER = /(<!-- file (\S+) -->\n)[\s\S]*?(<!-- \/file -->)/g;

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The markdown table of one interface's members. */
export function referenceTable(reference: ReferenceInterface): string {
  const methods = reference.members.some((member) => member.kind === 'method');
  const head = methods
    ? '| member | signature | rule |\n| --- | --- | --- |'
    : '| field | type | meaning |\n| --- | --- | --- |';
  const rows = reference.members.map((member) => {
    const name = `\`${member.name}${member.optional ? '?' : ''}\``;
    return `| ${name} | \`${cell(member.type)}\` | ${cell(member.doc) || '—'} |`;
  });
  return [head, ...rows].join('\n');
}

/** The guide with every marked table and file regenerated from the sources it names. */
export function renderReferences(markdown: string): string {
  const cache = new Map<string, Map<string, ReferenceInterface>>();
  const withFiles = markdown.replace(
    FILE_MARKER,
    (_match, open: string, file: string, close: string) => {
      const source = readFileSync(new URL(file, ROOT), 'utf8').trimEnd();
      const language = file.split('.').at(-1) === 'json' ? 'json' : 'ts';
      return `${open}\`\`\`${language}\n${source}\n\`\`\`\n${close}`;
    },
  );
  return withFiles.replace(
    MARKER,
    (_match, open: string, file: string, name: string, close: string) => {
      let interfaces = cache.get(file);
      if (!interfaces) {
        interfaces = readInterfaces(new URL(file, ROOT));
        cache.set(file, interfaces);
      }
      const reference = interfaces.get(name);
      if (!reference)
        throw new Error(`reference marker names ${name}, which ${file} does not declare`);
      return `${open}${referenceTable(reference)}\n${close}`;
    },
  );
}

/** Reads a guide relative to the repository root. */
export function readDoc(path: string): string {
  return readFileSync(new URL(path, ROOT), 'utf8');
}

export { ROOT };
