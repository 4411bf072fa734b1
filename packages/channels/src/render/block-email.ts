import {
  blockFields,
  blockProblems,
  checkTemplate,
  type EmailBlocks,
  type TemplateRefusalCode,
} from '@hourglass/nodes';
import { blockBrand, compileBlocks, fillHead, safeUrls, visiblePart } from './blocks';
import { RenderError, type RenderLocale, renderField } from './engine';
import { htmlToText } from './layout';
import type { EmailTemplate, RenderedEmail, RenderInput } from './types';

const REFUSED = new Set(['liquid.syntax', 'liquid.file_access', 'liquid.too_long', 'liquid.too_expensive']);

/** A block email: MJML's HTML (cached per document) rendered by Liquid, links checked once rendered. */
export async function renderBlockEmail(
  blocks: EmailBlocks,
  template: EmailTemplate,
  input: RenderInput,
  scope: Record<string, unknown>,
  loc: RenderLocale,
  heard: (field: string) => ((v: string) => void) | undefined,
): Promise<RenderedEmail> {
  // Published plans were checked; this catches a document that never went through the compiler.
  const problem = blockProblems(blocks)[0];
  if (problem) throw new RenderError(problem.field, problem.message);
  // A refused or broken template names its own block field, not the compiled whole.
  for (const f of blockFields(blocks)) {
    const d = checkTemplate(f.source, f.field).find((x) => REFUSED.has(x.code));
    if (d)
      throw new RenderError(
        f.field,
        d.message,
        d.code === 'liquid.syntax' ? 'render_failed' : (d.code as TemplateRefusalCode),
      );
  }
  const source = await compileBlocks(
    blocks,
    blockBrand(input.workspace.settings.brand, input.workspace.name),
  );
  const [subject, preheader, body] = await Promise.all([
    renderField('subject', template.subject, scope, loc, false, heard('subject')),
    renderField('preheader', template.preheader, scope, loc, false, heard('preheader')),
    renderField('blocks', source, scope, loc, true, heard('blocks')),
  ]);
  const html = safeUrls(body);
  const oneLine = subject.replace(/\s+/g, ' ').trim();
  return {
    subject: oneLine,
    preheader: preheader.trim(),
    html: fillHead(html, oneLine, preheader.trim()),
    text: htmlToText(visiblePart(html)),
  };
}
