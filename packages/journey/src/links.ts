// The brand's link templates: where `order.reviewUrl`, `order.reorderUrl` and `order.statusUrl` point
// when the order itself does not say. Not Liquid: a URL with a few `{placeholder}`s that are filled with
// URL-encoded values, so a settings field can never run template code or break out of its URL.

/** The order links templates read (`{{ order.reviewUrl }}`), each with its link template in the settings. */
export const ORDER_LINKS = ['reviewUrl', 'reorderUrl', 'statusUrl'] as const;
export type OrderLink = (typeof ORDER_LINKS)[number];

/** What each placeholder of a link template stands for. */
export const LINK_PLACEHOLDERS = {
  'order.number': "The shop's order number",
  'order.externalId': "The shop's order id (same as the number)",
  'order.id': "Hourglass's order id",
  'customer.externalId': "The shop's customer id",
  'customer.id': "Hourglass's customer id",
  sku: "The first item's SKU",
  productId: "The first item's product id",
} as const;
export type LinkPlaceholder = keyof typeof LINK_PLACEHOLDERS;

/** Longest link template accepted (browsers and SMS both cope with much less in practice). */
export const LINK_TEMPLATE_MAX = 2000;

const PLACEHOLDER = /\{([^{}]*)\}/g;
const isPlaceholder = (name: string): name is LinkPlaceholder => Object.hasOwn(LINK_PLACEHOLDERS, name);

/** Why `template` is not a usable link template, in words for the settings form; null when it is. */
export function linkTemplateProblem(template: string): string | null {
  if (template.length > LINK_TEMPLATE_MAX) return `Longer than ${LINK_TEMPLATE_MAX} characters`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\s\u0000-\u001f\u007f]/.test(template)) return 'A URL has no spaces or control characters';
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!isPlaceholder(name ?? ''))
      return `Unknown placeholder {${name}}: use ${Object.keys(LINK_PLACEHOLDERS)
        .map((p) => `{${p}}`)
        .join(', ')}`;
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, '')))
    return 'Use placeholders like {order.number} (one pair of braces; Liquid is not read here)';
  // Checked on the text as written, not on what URL parsing makes of it ("https:///x" parses).
  const origin = /^([a-z][a-z0-9+.-]*):(\/\/[^/?#]*)?/i.exec(template);
  if (!origin) return 'Not a URL: start with https://';
  if (!/^https?$/i.test(origin[1] ?? '')) return 'Only http:// and https:// links';
  if (!origin[2] || origin[2] === '//') return 'Start with https:// and the host name';
  if (origin[2].includes('{')) return 'Placeholders go in the path or the query, not in the host';
  let url: URL;
  try {
    url = new URL(template.replace(PLACEHOLDER, 'x'));
  } catch {
    return 'Not a URL: start with https://';
  }
  if (url.username || url.password) return 'A link to customers carries no user name or password';
  return null;
}

/** The values a link template's placeholders are filled with (missing ones leave the link unset). */
export type LinkValues = Partial<Record<LinkPlaceholder, string | number | null | undefined>>;

/**
 * The link for these values: each placeholder URL-encoded, so data never changes the link's shape. Null
 * when the template is unusable or a value it needs is missing (a link to the wrong page is worse than none).
 */
export function fillLinkTemplate(template: string, values: LinkValues): string | null {
  if (linkTemplateProblem(template)) return null;
  let missing = false;
  const filled = template.replace(PLACEHOLDER, (_, name: LinkPlaceholder) => {
    const value = values[name];
    if (value === null || value === undefined || value === '') {
      missing = true;
      return '';
    }
    return encodeURIComponent(String(value));
  });
  return missing ? null : filled;
}
