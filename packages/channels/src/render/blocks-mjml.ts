import type { EmailBlock, SimpleBlock } from '@hourglass/nodes';

// Blocks → MJML markup. Every string an author typed is escaped for MJML/HTML; the Liquid inside it
// is swapped for an inert token (⟪n⟫) so MJML never sees (or mangles) it, and put back after MJML has
// compiled: Liquid then renders the HTML with output escaping on, so customer data stays text.

/** The brand as the block layout shows it (already checked: a safe colour, an https logo or null). */
export interface BlockBrand {
  name: string;
  color: string;
  logoUrl: string | null;
  address: string;
}

/** Where the rendered subject and preheader go (the title, the wrapper's label, the hidden inbox preview). */
export const SUBJECT_TOKEN = '⟪subject⟫';
export const PREHEADER_TOKEN = '⟪preheader⟫';

const LIQUID = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g;
const MUTED = '#6b7280';

export const escapeHtml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    // The token brackets: typed text can never forge a token.
    .replace(/[⟪⟫]/g, (c) => `&#${c.codePointAt(0)};`);

/** Builds the MJML of one document, collecting the Liquid it set aside. */
export class MjmlWriter {
  readonly tags: string[] = [];

  constructor(private readonly brand: BlockBrand) {}

  /** Our own Liquid (loops of the tables), kept out of MJML's sight like the author's. */
  private liquid(tag: string): string {
    this.tags.push(tag);
    return `⟪${this.tags.length - 1}⟫`;
  }

  /** An author's text: literal parts escaped, Liquid set aside; `lines` turns newlines into breaks. */
  text(source: string, lines = false): string {
    let out = '';
    let last = 0;
    for (const m of source.matchAll(LIQUID)) {
      out += this.literal(source.slice(last, m.index), lines) + this.liquid(m[0]);
      last = m.index + m[0].length;
    }
    return out + this.literal(source.slice(last), lines);
  }

  private literal(s: string, lines: boolean): string {
    const e = escapeHtml(s);
    return lines ? e.replace(/\r?\n/g, '<br />') : e;
  }

  /** A URL attribute: the same as text; its scheme was checked when saved and is checked again once rendered. */
  url(source: string): string {
    return this.text(source.trim());
  }

  document(blocks: readonly EmailBlock[]): string {
    const body = blocks.map((b) => this.block(b)).join('\n');
    const footer = blocks.some((b) => b.type === 'footer') ? '' : this.footer('');
    const { color } = this.brand;
    return `<mjml>
<mj-head>
<mj-title>${SUBJECT_TOKEN}</mj-title>
<mj-preview>${PREHEADER_TOKEN}</mj-preview>
<mj-attributes>
<mj-all font-family="Arial, Helvetica, sans-serif" />
<mj-text font-size="16px" line-height="1.5" color="#111827" padding="8px 24px" />
<mj-button background-color="${color}" color="#ffffff" font-size="16px" border-radius="6px" />
<mj-section background-color="#ffffff" padding="0" />
</mj-attributes>
</mj-head>
<mj-body background-color="#f3f4f6" width="600px">
<mj-section background-color="#f3f4f6" padding="24px 0 0"><mj-column><mj-divider border-color="${color}" border-width="4px" padding="0" /></mj-column></mj-section>
${this.header()}
${body}
${footer}
</mj-body>
</mjml>`;
  }

  private header(): string {
    const { logoUrl, name, color } = this.brand;
    const inner = logoUrl
      ? `<mj-image src="${escapeHtml(logoUrl)}" alt="${escapeHtml(name)}" height="40px" width="160px" align="left" padding="16px 24px" />`
      : `<mj-text font-size="18px" font-weight="bold" color="${color}" padding="16px 24px">${escapeHtml(name)}</mj-text>`;
    return `<mj-section><mj-column>${inner}</mj-column></mj-section>`;
  }

  private block(b: EmailBlock): string {
    switch (b.type) {
      case 'order_items':
        return this.section(this.orderItems(b.title, b.showImages, b.showPrices));
      case 'products':
        return this.section(this.products(b.title, b.step, b.limit));
      case 'columns': {
        const col = (list: readonly SimpleBlock[]) =>
          `<mj-column>${list.map((s) => this.simple(s)).join('\n') || '<mj-spacer height="1px" />'}</mj-column>`;
        return `<mj-section>${col(b.left)}${col(b.right)}</mj-section>`;
      }
      case 'footer':
        return this.footer(b.text);
      default:
        return this.section(this.simple(b));
    }
  }

  private section(inner: string): string {
    return `<mj-section><mj-column>${inner}</mj-column></mj-section>`;
  }

  /** The blocks a column may hold too. */
  private simple(b: SimpleBlock): string {
    switch (b.type) {
      case 'heading':
        return `<mj-text align="${b.align}" font-size="24px" line-height="1.3" font-weight="bold" padding="16px 24px 8px"><h1 style="margin:0;font-size:24px">${this.text(b.text)}</h1></mj-text>`;
      case 'text':
        return `<mj-text align="${b.align}">${this.text(b.text, true)}</mj-text>`;
      case 'image': {
        const href = b.href.trim() ? ` href="${this.url(b.href)}"` : '';
        return `<mj-image src="${this.url(b.src)}" alt="${this.text(b.alt)}"${href} padding="8px 24px" />`;
      }
      case 'button':
        return `<mj-button href="${this.url(b.href)}" align="${b.align}">${this.text(b.label)}</mj-button>`;
      case 'divider':
        return '<mj-divider border-color="#e5e7eb" border-width="1px" padding="16px 24px" />';
      case 'spacer':
        return `<mj-spacer height="${b.height}px" />`;
    }
  }

  private heading(title: string): string {
    return title.trim()
      ? `<mj-text font-size="18px" font-weight="bold" padding="16px 24px 4px">${this.text(title)}</mj-text>`
      : '';
  }

  /** The order's line items; an email without an order shows none (not a template error). */
  private orderItems(title: string, images: boolean, prices: boolean): string {
    const L = (t: string) => this.liquid(t);
    const cell = 'style="padding:8px 0;border-bottom:1px solid #e5e7eb"';
    const image = images
      ? `${L('{% if item.imageUrl %}')}<td ${cell} width="72"><img src="${L('{{ item.imageUrl }}')}" alt="" width="64" style="display:block;border:0;border-radius:4px" /></td>${L('{% endif %}')}`
      : '';
    const price = prices
      ? `<td ${cell} align="right">${L('{% if item.price %}')}${L('{{ item.price | money }}')}${L('{% endif %}')}</td>`
      : '';
    return `${this.heading(title)}<mj-table padding="8px 24px" font-size="15px">${L('{% if order.items %}{% for item in order.items %}')}<tr>${image}<td ${cell}>${L('{{ item.name }}')}${L('{% if item.quantity %}')} × ${L('{{ item.quantity }}')}${L('{% endif %}')}</td>${price}</tr>${L('{% endfor %}{% endif %}')}</mj-table>`;
  }

  /** Products from a step's output (`steps.<step>.products`); nothing when the step has none. */
  private products(title: string, step: string, limit: number): string {
    if (!step) return this.heading(title);
    const L = (t: string) => this.liquid(t);
    const cell = 'style="padding:8px 0;border-bottom:1px solid #e5e7eb"';
    const list = `steps.${step}.products`;
    return `${this.heading(title)}<mj-table padding="8px 24px" font-size="15px">${L(`{% if ${list} %}{% for p in ${list} limit: ${limit} %}`)}<tr>${L('{% if p.imageUrl %}')}<td ${cell} width="88"><img src="${L('{{ p.imageUrl }}')}" alt="" width="80" style="display:block;border:0;border-radius:4px" /></td>${L('{% endif %}')}<td ${cell}>${L('{% if p.url %}')}<a href="${L('{{ p.url }}')}" style="color:${this.brand.color};font-weight:bold">${L('{{ p.title }}')}</a>${L('{% else %}')}<strong>${L('{{ p.title }}')}</strong>${L('{% endif %}')}${L('{% if p.price %}')}<br />${L('{{ p.price | money }}')}${L('{% endif %}')}</td></tr>${L('{% endfor %}{% endif %}')}</mj-table>`;
  }

  /** The brand's address and, on marketing mail, the unsubscribe link (transactional mail has none). */
  private footer(text: string): string {
    const own = text.trim() ? `${this.text(text, true)}<br />` : '';
    const address = this.brand.address ? `${escapeHtml(this.brand.address)}<br />` : '';
    const unsubscribe = `${this.liquid('{% if unsubscribe_url %}')}<a href="${this.liquid('{{ unsubscribe_url }}')}" style="color:${MUTED}">Unsubscribe</a>${this.liquid('{% endif %}')}`;
    return `<mj-section background-color="#f3f4f6"><mj-column><mj-text align="center" font-size="12px" color="${MUTED}" padding="16px 24px">${own}${address}${unsubscribe}</mj-text></mj-column></mj-section>`;
  }
}
