import type { Customer } from '@hourglass/contract';
import { Liquid } from 'liquidjs';

// Rendered in the browser: no preview route in the API contract yet. Filters mirror @hourglass/channels.
const engine = new Liquid({ cache: true });
engine.registerFilter('money', (v: unknown, currency = 'USD') =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: String(currency) }).format(Number(v) || 0),
);
engine.registerFilter('local_date', (v: unknown) => {
  const d = new Date(String(v));
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleDateString('en-US', { dateStyle: 'medium' });
});
engine.registerFilter(
  'first_name',
  (c: { firstName?: string } | null, fallback = 'there') => c?.firstName || fallback,
);

/** Sample order used for previews (the customer may be real). */
export const SAMPLE_ORDER = {
  number: '1042',
  total: 128,
  currency: 'USD',
  items: [{ title: 'Linen shirt', sku: 'LS-01', quantity: 1, price: 128 }],
  reviewUrl: 'https://shop.example/review/1042',
  reorderUrl: 'https://shop.example/reorder/1042',
};

/** Liquid scope for a preview, shaped like the channels package's `templateScope`. */
export function previewScope(customer: Customer | null): Record<string, unknown> {
  const c = customer;
  return {
    customer: {
      id: c?.id ?? 'sample',
      email: c?.email ?? 'ada@example.com',
      phone: c?.phone ?? '+15555550100',
      firstName: c ? c.firstName : 'Ada',
      lastName: c ? c.lastName : 'Lovelace',
      name: c ? [c.firstName, c.lastName].filter(Boolean).join(' ') : 'Ada Lovelace',
      tags: c?.tags ?? [],
      attributes: c?.attributes ?? { points: 250 },
      stats: { ordersCount: c?.ordersCount ?? 1, totalSpent: c?.totalSpent ?? 128, aov: c?.aov ?? 128 },
    },
    order: SAMPLE_ORDER,
    trigger: { type: 'order.delivered', properties: { trackingUrl: 'https://track.example/1Z999' } },
    event: { type: 'order.delivered', properties: {} },
    workspace: { name: 'Demo store' },
    brand: { name: 'Demo store', url: 'https://shop.example' },
    journey: { id: 'preview' },
    message: { channel: 'email' },
    unsubscribe_url: 'https://shop.example/unsubscribe',
    preferences_url: 'https://shop.example/preferences',
    view_in_browser_url: null,
    now: new Date().toISOString(),
  };
}

/** Renders one template; errors come back as text so the preview shows them inline. */
export async function renderTemplate(source: string, scope: Record<string, unknown>): Promise<string> {
  try {
    return String(await engine.parseAndRender(source, scope));
  } catch (e) {
    return `⚠ ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
}
