import axe from 'axe-core';
import type { Page } from 'playwright-core';

// axe-core in the page under test. The app's CSP forbids inline scripts, so the engine is evaluated
// through the browser's debugging protocol (which CSP does not govern) instead of a <script> tag.

/** Impacts the suite refuses. */
const REFUSED = new Set(['serious', 'critical']);
/** Milder rules refused too: every page has a top heading, landmarks are named apart, roles fit their elements. */
const ALSO_REFUSED = new Set(['page-has-heading-one', 'landmark-unique', 'aria-allowed-role']);

/**
 * Serious and critical axe violations (and those of ALSO_REFUSED) on the page as it is now, one line each ("rule (impact): help —
 * selectors"). WCAG 2.x A/AA rules and best practices, plus the label-in-name check (a control's
 * accessible name must contain its visible text), which axe ships but leaves off by default.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axe.source);
  const results = await page.evaluate(async () => {
    const engine = (window as unknown as { axe: typeof axe }).axe;
    return engine.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
      rules: { 'label-content-name-mismatch': { enabled: true } },
      resultTypes: ['violations'],
    });
  });
  return results.violations
    .filter((v) => REFUSED.has(v.impact ?? '') || ALSO_REFUSED.has(v.id))
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 5)
          .map((n) => n.target.join(' '))
          .join(', ')}${v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ''} (first: ${
          v.nodes[0]?.any[0]?.message ?? v.nodes[0]?.failureSummary ?? ''
        })`,
    );
}
