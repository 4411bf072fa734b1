import { compileJourney } from '@hourglass/nodes';
import { describe, expect, it } from 'vitest';
import { toGraph } from './graph';
import { stepNameOf, uniqueStepName } from './step-names';
import { createEditorStore } from './store';

const names = (store: ReturnType<typeof createEditorStore>) =>
  store
    .getState()
    .nodes.map((n) => n.data.name)
    .filter(Boolean);

describe('step names on the canvas', () => {
  it('gives each dropped node with an output its own name: webhook, webhook_2, …', () => {
    const store = createEditorStore({ nodes: [], edges: [] });
    const first = store.getState().addNode('webhook', { x: 0, y: 0 });
    store.getState().addNode('webhook', { x: 0, y: 100 });
    store.getState().addNode('delay', { x: 0, y: 200 });
    expect(names(store)).toEqual(['webhook', 'webhook_2']);
    // A node without an output has no step name at all.
    const delay = store.getState().nodes.find((n) => n.type === 'delay')!;
    expect(delay.data.name).toBeUndefined();
    expect(stepNameOf(delay)).toBeNull();

    // Renaming frees the default; the next drop takes it.
    store.getState().rename(first, 'crm');
    store.getState().addNode('webhook', { x: 0, y: 300 });
    expect(names(store)).toEqual(['crm', 'webhook_2', 'webhook']);
  });

  it('names duplicates and pastes apart from the original, so compile sees no duplicate', () => {
    const store = createEditorStore({ nodes: [], edges: [] });
    store.getState().addNode('trigger', { x: 0, y: 0 });
    const hook = store.getState().addNode('webhook', { x: 0, y: 100 });
    store.getState().select(hook);
    store.getState().duplicateSelected();
    store.getState().copy();
    store.getState().paste();
    expect(names(store)).toEqual(['webhook', 'webhook_2', 'webhook_3']);
    const { nodes, edges } = store.getState();
    const codes = compileJourney(toGraph(nodes, edges)).diagnostics.map((d) => d.code);
    expect(codes).not.toContain('node.name_duplicate');
  });

  it('a node loaded without a name keeps its type default, and copies of it count it as taken', () => {
    const store = createEditorStore({
      nodes: [{ id: 'old', type: 'webhook', position: { x: 0, y: 0 }, data: { config: {} } }],
      edges: [],
    });
    store.getState().addNode('webhook', { x: 0, y: 100 });
    expect(names(store)).toEqual(['webhook_2']);
  });

  it('keeps numbered names within the 40 characters a step name may have', () => {
    const long = 'a'.repeat(40);
    const next = uniqueStepName(long, new Set([long]));
    expect(next).toBe(`${'a'.repeat(38)}_2`);
    expect(uniqueStepName('discount_2', new Set(['discount', 'discount_2']))).toBe('discount_3');
  });
});
