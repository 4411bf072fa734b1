import type { WorkspaceSettings } from '@hourglass/db';

type Brand = WorkspaceSettings['brand'];

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Only a colour we can safely drop into a style attribute.
const safeColor = (c: string) => (/^#[0-9a-f]{3,8}$/i.test(c) ? c : '#111827');

/** Plain-text bodies (no tags) get paragraphs so authors can write email like a note. */
export function bodyToHtml(body: string): string {
  if (/<[a-z][\s\S]*>/i.test(body)) return body;
  return body
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${p.replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/** Wraps the rendered body in a table-based responsive layout that email clients render alike. */
export function emailLayout(input: {
  bodyHtml: string;
  preheader: string;
  subject: string;
  brand: Brand;
  unsubscribeUrl: string | null;
}): string {
  const { brand } = input;
  const color = safeColor(brand.color);
  const logo = brand.logoUrl
    ? `<img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.name)}" height="40" style="display:block;border:0;max-height:40px">`
    : `<strong style="font-size:18px;color:${color}">${escapeHtml(brand.name)}</strong>`;
  const unsubscribe = input.unsubscribeUrl
    ? `<a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#6b7280">Unsubscribe</a>`
    : '';
  // The preheader is hidden text that inbox previews show next to the subject.
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(input.subject)}</title>
<style>@media only screen and (max-width:620px){.container{width:100%!important}.content{padding:16px!important}}</style>
</head><body style="margin:0;padding:0;background:#f3f4f6">
<div style="display:none;max-height:0;overflow:hidden;opacity:0">${escapeHtml(input.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6"><tr><td align="center" style="padding:24px 8px">
<table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" style="width:600px;max-width:600px;background:#ffffff;border-radius:8px;border-top:4px solid ${color}">
<tr><td class="content" style="padding:24px 32px 0">${logo}</td></tr>
<tr><td class="content" style="padding:16px 32px 24px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#111827">
${input.bodyHtml}
</td></tr></table>
<table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" style="width:600px;max-width:600px"><tr><td style="padding:16px 32px;font-family:Arial,Helvetica,sans-serif;font-size:12px;color:#6b7280;text-align:center">
${escapeHtml(brand.address)}${brand.address && unsubscribe ? '<br>' : ''}${unsubscribe}
</td></tr></table>
</td></tr></table></body></html>`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** The plain-text part: links keep their URL, blocks become lines, tags and entities go. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(style|script|title)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_m, href: string, label: string) => {
      const text = label.replace(/<[^>]+>/g, '').trim();
      return text && text !== href ? `${text} (${href})` : href;
    })
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|tr|table)>/gi, '\n\n')
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, e: string) => ENTITIES[e] ?? '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
