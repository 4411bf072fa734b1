import { ORDER_LINKS, type OrderLink } from '@hourglass/journey';

/** A variable that rendered nothing in a preview: which one, in which fields, and what to do about it. */
export interface EmptyVariableWarning {
  variable: string;
  fields: string[];
  message: string;
}

const LINK_SETTING: Record<OrderLink, string> = {
  reviewUrl: 'review link',
  reorderUrl: 'reorder link',
  statusUrl: 'order status link',
};

// Fields render concurrently: warnings are ordered by field, then by where they first appear in it.
const FIELD_ORDER = ['subject', 'preheader', 'body', 'text'];
const rank = (field: string) => {
  const i = FIELD_ORDER.indexOf(field);
  return i === -1 ? FIELD_ORDER.length : i;
};

/** Collects the empty outputs of one preview, once per variable. */
export class EmptyVariables {
  /** Variable → field → position of its first empty output among that field's. */
  private readonly seen = new Map<string, Map<string, number>>();
  private readonly counts = new Map<string, number>();

  readonly add = (field: string, variable: string): void => {
    const fields = this.seen.get(variable) ?? new Map<string, number>();
    if (!fields.has(field)) {
      const n = this.counts.get(field) ?? 0;
      this.counts.set(field, n + 1);
      fields.set(field, n);
    }
    this.seen.set(variable, fields);
  };

  /** The warnings; `hasOrder` says whether the preview had an order (without one, `order.*` is empty). */
  warnings(hasOrder: boolean): EmptyVariableWarning[] {
    const entries = [...this.seen].map(([variable, at]) => {
      const fields = [...at.keys()].sort((x, y) => rank(x) - rank(y));
      const first = fields[0] ?? '';
      return { variable, fields, key: [rank(first), at.get(first) ?? 0] as const };
    });
    entries.sort((x, y) => x.key[0] - y.key[0] || x.key[1] - y.key[1]);
    return entries.map(({ variable, fields }) => ({
      variable,
      fields,
      message: messageFor(variable, fields, hasOrder),
    }));
  }
}

function messageFor(variable: string, fields: string[], hasOrder: boolean): string {
  const where = `{{ ${variable} }} renders empty in the ${fields.join(' and ')}`;
  if (!hasOrder && /^order\b/.test(variable))
    return `${where}: the preview has no order. Pick one, or add | default: "…" for customers without one.`;
  const link = ORDER_LINKS.find((k) => variable === `order.${k}`);
  if (link)
    return `${where}: nothing supplies it. Set the ${LINK_SETTING[link]} in Settings › Links (e.g. https://shop.example/…/{order.number}), send it with the order, or add | default: "…".`;
  return `${where} for this customer: add | default: "…" so nobody receives a blank, or check the data.`;
}
