import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// The web app is split by route: the first load (sign-in, the journey list) carries no canvas; the
// editor, the support views and the settings are chunks fetched when first opened. Reads the build
// that `npm test` makes before the tests.

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

describe('web bundle', () => {
  it('loads sign-in and the journey list without the editor, in a small first chunk', () => {
    const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
    const entry = /<script[^>]+src="\/?(assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeTruthy();
    const code = fs.readFileSync(path.join(DIST, entry!));
    const chunks = fs.readdirSync(path.join(DIST, 'assets')).filter((f) => f.endsWith('.js'));
    const editor = chunks.find((f) => f.startsWith('JourneyEditor-'));
    expect(editor, 'the editor is its own chunk').toBeTruthy();
    // React Flow's class names live in the editor's chunk only.
    expect(code.toString('utf8')).not.toContain('react-flow__');
    expect(fs.readFileSync(path.join(DIST, 'assets', editor!), 'utf8')).toContain('react-flow__');
    const gzipKb = gzipSync(code).length / 1024;
    expect(gzipKb).toBeLessThan(220);
    for (const page of ['RunPage-', 'SettingsPage-', 'CustomersPage-', 'MessagesPage-'])
      expect(
        chunks.some((f) => f.startsWith(page)),
        page,
      ).toBe(true);
  });
});
