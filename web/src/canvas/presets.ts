import type { NodeCategory } from '@hourglass/journey';

/** A palette entry that adds a node type with some of its settings chosen (a shortcut, not a new type). */
export interface Preset {
  key: string;
  kind: string;
  label: string;
  description: string;
  category: NodeCategory;
  keywords: string[];
  config: Record<string, unknown>;
}

/** The palette's shortcuts. */
export const PRESETS: readonly Preset[] = [
  {
    key: 'wait_for_engagement',
    kind: 'wait_for_event',
    label: 'Wait for engagement',
    description:
      "Wait until the customer clicks, opens or replies to the message an earlier step sent (this run's message only), or give up.",
    category: 'timing',
    keywords: ['engagement', 'clicked', 'opened', 'replied', 'reply', 'message'],
    // "About the message of step" is the marketer's to pick (left empty: any message of this run, as
    // engagement events go to the run whose message it is); they carry no order, hence sameOrder off.
    config: {
      eventType: 'message.clicked',
      messageStep: '',
      sameOrder: false,
      timeoutAmount: 3,
      timeoutUnit: 'days',
    },
  },
];

const PREFIX = 'preset:';

/** The drag payload / add request of a preset. */
export const presetRef = (p: Preset) => `${PREFIX}${p.key}`;

/** What a palette request adds: a node kind, with a preset's settings when it names one. */
export function resolveAdd(ref: string): { kind: string; config?: Record<string, unknown> } {
  if (!ref.startsWith(PREFIX)) return { kind: ref };
  const p = PRESETS.find((x) => x.key === ref.slice(PREFIX.length));
  return p ? { kind: p.kind, config: p.config } : { kind: ref };
}

/** Whether every word of the query appears in the preset's label, description or keywords. */
export function presetMatches(p: Preset, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const text = [p.label, p.description, ...p.keywords].join(' ').toLowerCase();
  return words.every((w) => text.includes(w));
}
