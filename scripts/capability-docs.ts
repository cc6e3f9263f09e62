import { writeFileSync } from 'node:fs';
import { capabilityFieldDocs } from '@threadline/core';

/**
 * Writes docs/capabilities.md from the Capabilities schema's own descriptions, so the field
 * reference cannot drift from the code. `pnpm docs:capabilities` runs it; a test checks the file
 * is current.
 */
const target = new URL('../docs/capabilities.md', import.meta.url);
writeFileSync(target, capabilityFieldDocs());
console.log(`wrote ${target.pathname}`);
