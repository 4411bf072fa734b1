import type { EmailBlock, EmailBlockType, SimpleBlock } from '@hourglass/nodes';

// What the composer needs to know about block kinds: names, a fresh block of each kind, moving.

/** Block kinds in the order the "Add block" menu offers them. */
export const BLOCK_KINDS: readonly { type: EmailBlockType; label: string }[] = [
  { type: 'heading', label: 'Heading' },
  { type: 'text', label: 'Text' },
  { type: 'image', label: 'Image' },
  { type: 'button', label: 'Button' },
  { type: 'order_items', label: 'Order items' },
  { type: 'products', label: 'Recommended products' },
  { type: 'divider', label: 'Divider' },
  { type: 'spacer', label: 'Spacer' },
  { type: 'columns', label: 'Two columns' },
  { type: 'footer', label: 'Footer (unsubscribe)' },
];

/** What a column may hold. */
export const SIMPLE_KINDS = BLOCK_KINDS.filter((k) =>
  ['heading', 'text', 'image', 'button', 'divider', 'spacer'].includes(k.type),
) as readonly { type: SimpleBlock['type']; label: string }[];

export const labelOf = (type: string) => BLOCK_KINDS.find((k) => k.type === type)?.label ?? type;

const newId = () => Math.random().toString(36).slice(2, 10);

/** A new block of a kind, with defaults a marketer can start from. */
export function newBlock(type: EmailBlockType, productStep = ''): EmailBlock {
  const id = newId();
  switch (type) {
    case 'heading':
      return { type, id, text: 'Hi {{ customer.firstName | default: "there" }}', align: 'left' };
    case 'text':
      return { type, id, text: '', align: 'left' };
    case 'image':
      return { type, id, src: '', alt: '', href: '' };
    case 'button':
      return { type, id, label: 'Shop now', href: '{{ brand.url }}', align: 'center' };
    case 'order_items':
      return { type, id, title: 'Your order', showImages: true, showPrices: true };
    case 'products':
      return { type, id, title: 'You might also like', step: productStep, limit: 3 };
    case 'divider':
      return { type, id };
    case 'spacer':
      return { type, id, height: 24 };
    case 'columns':
      return { type, id, left: [], right: [] };
    case 'footer':
      return { type, id, text: '' };
  }
}

/** The list with item `i` moved by `by` places (unchanged at the ends). */
export function moved<T>(list: readonly T[], i: number, by: -1 | 1): T[] {
  const j = i + by;
  if (j < 0 || j >= list.length) return [...list];
  const out = [...list];
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
}

/** A one-line reminder of a block's content for the list. */
export function summaryOf(b: EmailBlock): string {
  const text = (() => {
    switch (b.type) {
      case 'heading':
      case 'text':
      case 'footer':
        return b.text;
      case 'image':
        return b.alt || b.src;
      case 'button':
        return b.label;
      case 'order_items':
      case 'products':
        return b.title;
      case 'spacer':
        return `${b.height}px`;
      case 'columns':
        return `${b.left.length} | ${b.right.length} blocks`;
      default:
        return '';
    }
  })();
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

/** The starting blocks of an email switched to blocks. */
export const starterBlocks = (): EmailBlock[] => [
  newBlock('heading'),
  { ...(newBlock('text') as Extract<EmailBlock, { type: 'text' }>), text: 'Thanks for shopping with us.' },
  newBlock('footer'),
];
