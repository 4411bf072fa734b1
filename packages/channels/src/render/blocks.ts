/// <reference path="./mjml.d.ts" />
import { createHash } from 'node:crypto';
import type { WorkspaceSettings } from '@hourglass/db';
import type { EmailBlock } from '@hourglass/nodes';
import mjml2html from 'mjml';
import { type BlockBrand, escapeHtml, MjmlWriter, PREHEADER_TOKEN, SUBJECT_TOKEN } from './blocks-mjml';

export { type BlockBrand, MjmlWriter } from './blocks-mjml';

// Compiling MJML takes tens of milliseconds; the same email is sent to thousands of customers, so
// the Liquid-bearing HTML is kept per document (blocks + brand) and only Liquid runs per send.
const CACHE_SIZE = 500;
const cache = new Map<string, Promise<string>>();

/** The brand's colour and logo as the layout may use them (a colour in a style, an https logo). */
export function blockBrand(brand: WorkspaceSettings['brand'], fallbackName: string): BlockBrand {
  return {
    name: brand.name || fallbackName,
    color: /^#[0-9a-f]{3,8}$/i.test(brand.color) ? brand.color : '#111827',
    logoUrl: brand.logoUrl && /^https:\/\/[^\s"<>]+$/i.test(brand.logoUrl) ? brand.logoUrl : null,
    address: brand.address,
  };
}

/** The MJML of a block document (for tests and the curious; Liquid is left as ⟪n⟫ tokens). */
export function blocksToMjml(
  blocks: readonly EmailBlock[],
  brand: BlockBrand,
): { mjml: string; tags: string[] } {
  const writer = new MjmlWriter(brand);
  return { mjml: writer.document(blocks), tags: writer.tags };
}

/** Compiles a block document to responsive HTML that still holds its Liquid (cached per document). */
export function compileBlocks(blocks: readonly EmailBlock[], brand: BlockBrand): Promise<string> {
  const key = createHash('sha256')
    .update(JSON.stringify([blocks, brand]))
    .digest('hex');
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last, so the oldest entry is the one evicted.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const compiled = compile(blocks, brand);
  cache.set(key, compiled);
  compiled.catch(() => cache.delete(key));
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return compiled;
}

async function compile(blocks: readonly EmailBlock[], brand: BlockBrand): Promise<string> {
  const { mjml, tags } = blocksToMjml(blocks, brand);
  const { html } = await mjml2html(mjml, {
    // The markup is ours; an include or a font fetch has no place in it.
    validationLevel: 'soft',
    ignoreIncludes: true,
    keepComments: false,
    fonts: {},
  });
  // MJML indents deeply: without it a long email would near Liquid's parse limit. Authors' newlines
  // are <br /> by now, so only layout whitespace goes.
  return html.replace(/\n\s+/g, '\n').replace(/⟪(\d+)⟫/g, (_m, i: string) => tags[Number(i)] ?? '');
}

/** Puts the rendered subject and preheader into the title and the hidden inbox preview. */
export function fillHead(html: string, subject: string, preheader: string): string {
  return html
    .replaceAll(SUBJECT_TOKEN, () => escapeHtml(subject))
    .replaceAll(PREHEADER_TOKEN, () => escapeHtml(preheader));
}

/** The visible part of a rendered block email, for the plain-text alternative (no head, no Outlook-only markup). */
export function visiblePart(html: string): string {
  const start = html.indexOf('<body');
  return (start < 0 ? html : html.slice(start))
    .replace(/<!--[\s\S]*?-->/g, '')
    .replaceAll(PREHEADER_TOKEN, '')
    .replaceAll(SUBJECT_TOKEN, '');
}

const SAFE_URL = /^(https?:\/\/|mailto:|#)/i;
const ENTITY = /&(#x?[0-9a-f]+|amp|quot|lt|gt|colon|tab|newline);?/gi;
const NAMED: Record<string, string> = {
  amp: '&',
  quot: '"',
  lt: '<',
  gt: '>',
  colon: ':',
  tab: '\t',
  newline: '\n',
};

function decode(v: string): string {
  return v.replace(ENTITY, (_m, e: string) => {
    const low = e.toLowerCase();
    if (low.startsWith('#x')) return String.fromCodePoint(Number.parseInt(low.slice(2), 16) || 0);
    if (low.startsWith('#')) return String.fromCodePoint(Number(low.slice(1)) || 0);
    return NAMED[low] ?? '';
  });
}

/**
 * After Liquid has run: a link or picture whose address is not http(s) (Liquid that rendered
 * `javascript:…` from customer data, say) loses it. Only for block emails, whose markup is ours.
 */
export function safeUrls(html: string): string {
  return html.replace(/\b(href|src)="([^"]*)"/gi, (all, attr: string, value: string) => {
    // Browsers ignore whitespace and control characters inside a scheme ("java\tscript:").
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
    const v = decode(value).replace(/[\u0000-\u0020]/g, '');
    if (v === '' || SAFE_URL.test(v)) return all;
    return `${attr}="${attr.toLowerCase() === 'href' ? '#' : ''}"`;
  });
}
