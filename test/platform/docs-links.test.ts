import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README is the door and docs/ holds the deep dives: every relative link between them (and into
// the code) must lead somewhere, or a moved page leaves newcomers at a dead end.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pages = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).map((f) => `docs/${f}`)];

describe('documentation links', () => {
  it('README links to every page in docs/, and every relative link resolves to a file', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const page of pages.filter((p) => p.startsWith('docs/')))
      expect(readme, page).toContain(`](${page})`);
    const broken: string[] = [];
    for (const page of pages) {
      const text = fs.readFileSync(path.join(ROOT, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#|<)/.test(target!)) continue;
        const file = target!.split('#')[0]!;
        if (!fs.existsSync(path.resolve(ROOT, path.dirname(page), file))) broken.push(`${page} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
