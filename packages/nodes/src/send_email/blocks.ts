import { z } from 'zod';

// The block document of a send-email step: what the composer edits and the server compiles to
// responsive HTML (MJML) before Liquid renders it. Pure data and checks: imported by the web app,
// the compiler and the channels package alike.

/** What a block document may hold; beyond these a publish or preview is refused (4xx), never slow. */
export const BLOCK_LIMITS = {
  /** Blocks in the whole email, columns' blocks included. */
  maxBlocks: 40,
  /** Blocks in one column. */
  maxColumnBlocks: 6,
  /** The document as JSON, in characters. */
  maxChars: 100_000,
} as const;

const Align = z.enum(['left', 'center']).default('left').describe('Alignment');
// Hard caps that keep parsing bounded; BLOCK_LIMITS (checked by blockProblems) are the product's limits.
const Text = (max: number, label: string) => z.string().max(max).default('').describe(label);
const Url = (label: string) => z.string().max(2000).default('').describe(label);
/** A step name as `steps.<name>` spells it (so it can be placed into Liquid as is). */
const StepRef = z
  .union([z.literal(''), z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a step name')])
  .default('')
  .describe('Step whose products to show (e.g. a Recommend products step)');
const BlockId = z.string().max(40).default('');

export const HeadingBlock = z.object({
  type: z.literal('heading'),
  id: BlockId,
  text: Text(500, 'Heading'),
  align: Align,
});
export const TextBlock = z.object({
  type: z.literal('text'),
  id: BlockId,
  text: Text(10_000, 'Text'),
  align: Align,
});
export const ImageBlock = z.object({
  type: z.literal('image'),
  id: BlockId,
  src: Url('Image URL (https)'),
  alt: Text(300, 'Alternative text'),
  href: Url('Link (optional)'),
});
export const ButtonBlock = z.object({
  type: z.literal('button'),
  id: BlockId,
  label: Text(200, 'Label'),
  href: Url('Link'),
  align: z.enum(['left', 'center']).default('center').describe('Alignment'),
});
export const DividerBlock = z.object({ type: z.literal('divider'), id: BlockId });
export const SpacerBlock = z.object({
  type: z.literal('spacer'),
  id: BlockId,
  height: z.number().int().min(4).max(120).default(24).describe('Height (px)'),
});
export const OrderItemsBlock = z.object({
  type: z.literal('order_items'),
  id: BlockId,
  title: Text(300, 'Title'),
  showImages: z.boolean().default(true).describe('Show product pictures'),
  showPrices: z.boolean().default(true).describe('Show prices'),
});
export const ProductsBlock = z.object({
  type: z.literal('products'),
  id: BlockId,
  title: Text(300, 'Title'),
  step: StepRef,
  limit: z.number().int().min(1).max(12).default(3).describe('At most this many products'),
});
export const FooterBlock = z.object({
  type: z.literal('footer'),
  id: BlockId,
  text: Text(2000, 'Footer text'),
});

/** A block a column may hold (no tables, lists or nested columns). */
export const SimpleBlock = z.discriminatedUnion('type', [
  HeadingBlock,
  TextBlock,
  ImageBlock,
  ButtonBlock,
  DividerBlock,
  SpacerBlock,
]);
export type SimpleBlock = z.infer<typeof SimpleBlock>;

export const ColumnsBlock = z.object({
  type: z.literal('columns'),
  id: BlockId,
  left: z.array(SimpleBlock).max(20).default([]).describe('Left column'),
  right: z.array(SimpleBlock).max(20).default([]).describe('Right column'),
});

/** One block of an email. */
export const EmailBlock = z.discriminatedUnion('type', [
  HeadingBlock,
  TextBlock,
  ImageBlock,
  ButtonBlock,
  DividerBlock,
  SpacerBlock,
  OrderItemsBlock,
  ProductsBlock,
  ColumnsBlock,
  FooterBlock,
]);
export type EmailBlock = z.infer<typeof EmailBlock>;
export type EmailBlockType = EmailBlock['type'];

/** The blocks of an email, top to bottom. */
export const EmailBlocks = z.array(EmailBlock).max(200);
export type EmailBlocks = z.infer<typeof EmailBlocks>;

/** A field of a block that holds Liquid, by its config path (`blocks.2.left.0.text`). */
export interface BlockField {
  field: string;
  source: string;
  url: boolean;
}

const TEXT_KEYS = ['text', 'alt', 'label', 'title'] as const;
const URL_KEYS = ['src', 'href'] as const;

/** Every Liquid-bearing field of the document, with the Liquid the compiler checks for it. */
export function blockFields(blocks: readonly EmailBlock[], prefix = 'blocks'): BlockField[] {
  const out: BlockField[] = [];
  blocks.forEach((b, i) => {
    const at = `${prefix}.${i}`;
    const rec = b as Record<string, unknown>;
    for (const k of TEXT_KEYS)
      if (typeof rec[k] === 'string') out.push({ field: `${at}.${k}`, source: rec[k], url: false });
    for (const k of URL_KEYS)
      if (typeof rec[k] === 'string') out.push({ field: `${at}.${k}`, source: rec[k], url: true });
    // The products block reads `steps.<step>.products`: checked like a reference written by hand.
    if (b.type === 'products' && b.step)
      out.push({ field: `${at}.step`, source: `{% if steps.${b.step}.products %}{% endif %}`, url: false });
    if (b.type === 'columns') {
      out.push(...blockFields(b.left, `${at}.left`), ...blockFields(b.right, `${at}.right`));
    }
  });
  return out;
}

/** Whether a URL field is http(s), or starts with Liquid (its rendered value is checked at send time). */
export function urlProblem(source: string, httpsOnly = false): string | null {
  const v = source.trim();
  if (!v) return null;
  if (v.startsWith('{{') || v.startsWith('{%')) return null;
  if (/[\s"<>]/.test(v.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, '')))
    return 'A link cannot contain spaces, quotes or angle brackets';
  if (httpsOnly ? /^https:\/\/[^/]/i.test(v) : /^https?:\/\/[^/]/i.test(v)) return null;
  return httpsOnly
    ? 'Use an https:// address (or Liquid that gives one)'
    : 'Use an http:// or https:// address (or Liquid that gives one)';
}

/** A problem with a block document as a whole or one of its fields, with a stable code. */
export interface BlockProblem {
  field: string;
  code: 'email.too_many_blocks' | 'email.too_big' | 'email.unsafe_url' | 'config.invalid';
  message: string;
}

/** Size and URL problems of a block document (`prefix` is the config path of the list). */
export function blockProblems(blocks: readonly EmailBlock[], prefix = 'blocks'): BlockProblem[] {
  const out: BlockProblem[] = [];
  const count = blocks.reduce(
    (n, b) => n + 1 + (b.type === 'columns' ? b.left.length + b.right.length : 0),
    0,
  );
  if (count > BLOCK_LIMITS.maxBlocks)
    out.push({
      field: prefix,
      code: 'email.too_many_blocks',
      message: `An email holds at most ${BLOCK_LIMITS.maxBlocks} blocks (this one has ${count})`,
    });
  blocks.forEach((b, i) => {
    if (b.type !== 'columns') return;
    for (const side of ['left', 'right'] as const)
      if (b[side].length > BLOCK_LIMITS.maxColumnBlocks)
        out.push({
          field: `${prefix}.${i}.${side}`,
          code: 'email.too_many_blocks',
          message: `A column holds at most ${BLOCK_LIMITS.maxColumnBlocks} blocks`,
        });
  });
  const chars = JSON.stringify(blocks).length;
  if (chars > BLOCK_LIMITS.maxChars)
    out.push({
      field: prefix,
      code: 'email.too_big',
      message: `The email's blocks are too big (${chars} characters, at most ${BLOCK_LIMITS.maxChars})`,
    });
  for (const f of blockFields(blocks, prefix)) {
    if (!f.url) continue;
    const problem = urlProblem(f.source, f.field.endsWith('.src'));
    if (problem) out.push({ field: f.field, code: 'email.unsafe_url', message: problem });
    else if (!f.source.trim() && (f.field.endsWith('.src') || isButtonHref(blocks, f.field, prefix)))
      out.push({ field: f.field, code: 'config.invalid', message: 'Required' });
  }
  return out;
}

// A button needs a link; an image's link is optional.
function isButtonHref(blocks: readonly EmailBlock[], field: string, prefix: string): boolean {
  if (!field.endsWith('.href')) return false;
  const path = field
    .slice(prefix.length + 1)
    .split('.')
    .slice(0, -1);
  let node: unknown = blocks;
  for (const p of path) node = (node as Record<string, unknown>)?.[p];
  return (node as { type?: string } | undefined)?.type === 'button';
}
