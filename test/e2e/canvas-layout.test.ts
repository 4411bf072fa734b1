import { templates } from '@hourglass/nodes';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2E, shot, signedInPage, startE2E } from './harness';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E('canvas_layout', { temporal: false });
});
afterAll(async () => {
  await e2e?.close();
});

type Box = { x: number; y: number; width: number; height: number };
const centreX = (b: Box) => b.x + b.width / 2;

async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not on screen`);
  return b;
}

/** The y of an edge's horizontal run (undefined for a straight edge), from its SVG path. */
async function turnY(page: Page, edgeId: string): Promise<number | undefined> {
  const d = await page
    .locator(`.react-flow__edge[data-id="${edgeId}"] path.react-flow__edge-path`)
    .getAttribute('d');
  const nums = (d ?? '').match(/-?\d+(\.\d+)?/g)?.map(Number) ?? [];
  const pts = [];
  for (let i = 0; i + 1 < nums.length; i += 2) pts.push({ x: nums[i]!, y: nums[i + 1]! });
  for (let i = 1; i < pts.length; i++) {
    const [a, b] = [pts[i - 1]!, pts[i]!];
    if (Math.abs(a.y - b.y) < 0.5 && Math.abs(a.x - b.x) > 1) return a.y;
  }
  return undefined;
}

/** Waits until no node moves between two animation frames (after a layout or a fit). */
async function settled(page: Page) {
  let last = '';
  await expect
    .poll(async () => {
      const now = JSON.stringify(
        await page
          .locator('.react-flow__node')
          .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON())),
      );
      const same = now === last;
      last = now;
      return same;
    })
    .toBe(true);
}

/**
 * For every step with several outputs: its children sit below it, side by side in port order
 * (the canvas reads top to bottom, so port order runs left to right), each child on the same side
 * as its own port, and the edges turning sideways each turn on their own line.
 */
async function expectPortOrder(page: Page, t: (typeof templates)[number]) {
  for (const n of t.graph.nodes) {
    const handles = page.locator(`.react-flow__node[data-id="${n.id}"] .react-flow__handle.source`);
    const ids = await handles.evaluateAll((els) => els.map((e) => e.getAttribute('data-handleid') ?? ''));
    if (ids.length < 2) continue;
    const parent = await box(page, `.react-flow__node[data-id="${n.id}"]`);
    const kids: { port: number; target: string; edge: string }[] = [];
    for (const e of t.graph.edges.filter((x) => x.source === n.id)) {
      kids.push({ port: ids.indexOf(e.sourceHandle ?? ''), target: e.target, edge: e.id });
    }
    kids.sort((a, b) => a.port - b.port);
    const handleXs = [];
    for (const id of ids)
      handleXs.push(centreX(await box(page, `.react-flow__node[data-id="${n.id}"] [data-handleid="${id}"]`)));
    expect(handleXs, `${t.id}: ports of ${n.id} left to right`).toEqual([...handleXs].sort((a, b) => a - b));
    const below = [];
    for (const k of kids) {
      const b = await box(page, `.react-flow__node[data-id="${k.target}"]`);
      if (b.y > parent.y + parent.height) below.push({ ...k, x: centreX(b) });
    }
    const xs = below.map((k) => k.x);
    expect(
      xs,
      `${t.id}: children of ${n.id} in port order (${below.map((k) => k.target).join(', ')})`,
    ).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs.map(Math.round)).size, `${t.id}: children of ${n.id} stacked`).toBe(xs.length);
    const turns = [];
    for (const k of kids) turns.push(await turnY(page, k.edge));
    const ys = turns.filter((y): y is number => y !== undefined).map((y) => Math.round(y));
    expect(new Set(ys).size, `${t.id}: edges of ${n.id} share one horizontal line (${ys})`).toBe(ys.length);
  }
}

async function openTemplate(page: Page, name: string) {
  await page.goto(`${e2e.baseUrl}/journeys`);
  await page.getByRole('button', { name: `Use template: ${name}` }).click();
  await page.getByLabel('Journey name').waitFor();
  await page.locator('.react-flow__node').first().waitFor();
  await settled(page);
}

/** Drags a connection from one handle to another. */
/** The box once it stops moving (a step widens as ports are added; a drag must start where it ends up). */
async function settledBox(page: Page, selector: string): Promise<Box> {
  let last = await box(page, selector);
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(100);
    const next = await box(page, selector);
    if (next.x === last.x && next.y === last.y && next.width === last.width) return next;
    last = next;
  }
  return last;
}

async function connect(page: Page, from: string, to: string) {
  const a = await settledBox(page, from);
  const b = await settledBox(page, to);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

/** Every step is on screen inside the canvas and none lies under the minimap. */
async function expectFramed(page: Page, what: string) {
  const pane = await box(page, '.react-flow__pane');
  const map = await box(page, '.react-flow__minimap');
  const nodes = await page
    .locator('.react-flow__node')
    .evaluateAll((els) =>
      els.map((e) => ({ id: e.getAttribute('data-id'), ...e.getBoundingClientRect().toJSON() })),
    );
  const under = nodes.filter(
    (n) =>
      n.x < map.x + map.width && n.x + n.width > map.x && n.y < map.y + map.height && n.y + n.height > map.y,
  );
  expect(
    under.map((n) => n.id),
    `${what}: steps under the minimap`,
  ).toEqual([]);
  const outside = nodes.filter(
    (n) =>
      n.x < pane.x ||
      n.y < pane.y ||
      n.x + n.width > pane.x + pane.width ||
      n.y + n.height > pane.y + pane.height,
  );
  expect(
    outside.map((n) => n.id),
    `${what}: steps out of view`,
  ).toEqual([]);
}

describe('canvas layout', () => {
  it('lays each template out with children under their ports, before and after tidy-up', async () => {
    const page = await signedInPage(e2e);
    for (const t of templates) {
      await openTemplate(page, t.name);
      if (t.id === 'order_updates' || t.id === 'review_request') {
        await expectPortOrder(page, t);
        await expectFramed(page, t.id);
        await shot(page, `canvas-template-${t.id}`);
      }
      await page.getByRole('button', { name: 'Tidy up layout' }).click();
      await settled(page);
      await expectPortOrder(page, t);
      await expectFramed(page, t.id);
      await shot(page, `canvas-tidy-${t.id}`);
    }
    await page.close();
  });

  it('connects a new case at once, shows every port label in full and keeps the inspector in its width', async () => {
    const page = await signedInPage(e2e);
    await openTemplate(page, 'Thank-you note');
    const labels = page.locator('.jn-port-label');
    expect(await labels.allTextContents()).toEqual([
      'First purchase over $100',
      'Loyal, AOV over $300',
      'Everyone else',
    ]);
    await page.locator('.react-flow__node[data-id="who"]').click();
    await shot(page, 'canvas-branch-inspector');
    const overflow = await page.locator('.inspector').evaluate((el) => {
      const right = el.getBoundingClientRect().right;
      const cut = Array.from(el.querySelectorAll<HTMLElement>('input, select, button, textarea'))
        .filter((c) => c.getBoundingClientRect().right > right + 0.5)
        .map((c) => c.getAttribute('aria-label') ?? c.id ?? c.tagName);
      return { scroll: el.scrollWidth, client: el.clientWidth, cut };
    });
    expect(overflow.cut).toEqual([]);
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);

    // A new step to connect to, then a third case: its port and the shifted "Everyone else" connect at once.
    await page.getByRole('button', { name: 'Add step: Exit' }).click();
    const exit = page.locator('.react-flow__node[data-id^="exit_"]');
    await exit.waitFor();
    const exitId = await exit.getAttribute('data-id');
    await page.getByRole('button', { name: 'Tidy up layout' }).click();
    await settled(page);
    await page.locator('.react-flow__node[data-id="who"]').click();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const who = '.react-flow__node[data-id="who"]';
    await page.locator(`${who} [data-handleid="path_3"]`).waitFor();
    await connect(
      page,
      `${who} [data-handleid="path_3"]`,
      `.react-flow__node[data-id="${exitId}"] .react-flow__handle.target`,
    );
    await page.locator(`.react-flow__edge[data-id="who.path_3->${exitId}"]`).waitFor({ timeout: 5000 });
    await connect(
      page,
      `${who} [data-handleid="else"]`,
      `.react-flow__node[data-id="${exitId}"] .react-flow__handle.target`,
    );
    await page.locator(`.react-flow__edge[data-id="who.else->${exitId}"]`).waitFor({ timeout: 5000 });
    expect(await page.locator('.react-flow__edge[data-id^="who.else->"]').count()).toBe(1);

    // Every port label in full: nothing cut horizontally or vertically, nothing spilling out of its step.
    await expect.poll(() => labels.allTextContents()).toContain('Path 3');
    const cut = await page.locator('.jn-port-label').evaluateAll((els) =>
      els
        .filter((el) => {
          const node = el.closest('.react-flow__node')!.getBoundingClientRect();
          const r = el.getBoundingClientRect();
          const spills = r.left < node.left || r.right > node.right || r.bottom > node.bottom;
          return el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight || spills;
        })
        .map((el) => el.textContent),
    );
    expect(cut).toEqual([]);
    const handleNames = await page
      .locator(`${who} .react-flow__handle.source`)
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(handleNames).toEqual([
      'Connect Branch: First purchase over $100',
      'Connect Branch: Loyal, AOV over $300',
      'Connect Branch: Path 3',
      'Connect Branch: Everyone else',
    ]);
    await shot(page, 'canvas-branch-new-case');
    await page.close();
  });

  it('drops a step inside the visible canvas and shows the replenishment delay time in the form', async () => {
    const page = await signedInPage(e2e);
    await openTemplate(page, 'Replenishment reminders');
    await expectFramed(page, 'replenishment');
    await page.locator('.react-flow__node[data-id="day20"]').click();
    expect(await page.locator('.react-flow__node[data-id="day20"]').textContent()).toContain('at 10:00');
    expect(await page.getByLabel('Hour (customer time)').inputValue()).toBe('10');
    expect(await page.getByLabel('Minute', { exact: true }).inputValue()).toBe('0');

    // Dropped on the canvas's right edge, the step stays clear of the inspector.
    const pane = await box(page, '.react-flow__pane');
    await page.getByRole('button', { name: 'Add step: Delay' }).dragTo(page.locator('.react-flow__pane'), {
      targetPosition: { x: pane.width - 4, y: pane.height / 2 },
    });
    const dropped = page.locator('.react-flow__node.selected');
    await expect.poll(() => dropped.count()).toBe(1);
    const b = (await dropped.boundingBox())!;
    const inspector = await box(page, '.inspector');
    expect(b.x + b.width).toBeLessThanOrEqual(inspector.x);
    expect(b.x + b.width).toBeLessThanOrEqual(pane.x + pane.width);
    await shot(page, 'canvas-dropped-at-edge');
    await page.close();
  });
});
