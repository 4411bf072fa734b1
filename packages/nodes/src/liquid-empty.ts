import { type Context, type Emitter, Output, type Template, TypeGuards } from 'liquidjs';

// Which `{{ variable }}` outputs render nothing: the preview warns about them ("Leave a review: " with
// no link). Only outputs whose value is a variable are watched; `| default: …` that fills the gap, and
// `{% if %}` tests, count as handled. Works on the parsed templates of one render, so nothing is shared.

/** Called once per render of an output that came out empty, with the variable as written. */
export type OnEmptyOutput = (variable: string) => void;

const isEmpty = (value: unknown) =>
  value === null ||
  value === undefined ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

/** A tag's child templates (if / for / case / capture bodies), read through liquidjs's own analysis hook. */
function childrenOf(template: Template): Template[] {
  if (!template.children) return [];
  const it = template.children(false, true);
  for (let step = it.next(); ; step = it.next()) if (step.done) return step.value ?? [];
}

/** Makes every variable output in `templates` (nested ones too) report when it renders empty. */
export function watchEmptyOutputs(templates: Template[], onEmpty: OnEmptyOutput): void {
  for (const template of templates) {
    if (template instanceof Output) watch(template, onEmpty);
    else watchEmptyOutputs(childrenOf(template), onEmpty);
  }
}

function watch(output: Output, onEmpty: OnEmptyOutput): void {
  const [only, ...rest] = output.value.initial.postfix;
  if (!only || rest.length > 0 || !TypeGuards.isPropertyAccessToken(only)) return;
  const variable = only.getText();
  const render = output.render.bind(output);
  output.render = function* (ctx: Context, emitter: Emitter) {
    const written: unknown[] = [];
    const spy: Emitter = {
      get buffer() {
        return emitter.buffer;
      },
      set buffer(value: string) {
        emitter.buffer = value;
      },
      write(html: unknown) {
        written.push(html);
        emitter.write(html);
      },
    };
    const result = yield render(ctx, spy);
    if (written.every(isEmpty)) onEmpty(variable);
    return result;
  };
}
