import { LIQUID_ROOTS } from '@hourglass/nodes';
import { useRef, useState } from 'react';

/** Variables offered after `{{`: the Liquid roots plus the paths marketers use most. */
export const LIQUID_VARIABLES = [
  ...LIQUID_ROOTS,
  'customer.firstName',
  'customer.lastName',
  'customer.name',
  'customer.email',
  'customer.attributes.',
  'customer.stats.ordersCount',
  'order.number',
  'order.total',
  'order.currency',
  'order.items[0].title',
  'order.items',
  'order.reviewUrl',
  'trigger.properties.',
  'brand.name',
  'brand.url',
];

type Props = {
  id: string;
  value: string;
  multiline: boolean;
  onChange: (v: string) => void;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string | undefined;
};

/** The partial variable name being typed after `{{` (or `{%`) at the caret, or null. */
export function partialAt(text: string, caret: number): string | null {
  const m = /\{[{%]-?\s*([\w.[\]]*)$/.exec(text.slice(0, caret));
  return m ? (m[1] ?? '') : null;
}

/** A template input that autocompletes Liquid variables (↑/↓ to choose, Enter or Tab to insert). */
export function LiquidField({ id, value, multiline, onChange, ...aria }: Props) {
  const ref = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const [partial, setPartial] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const options =
    partial === null
      ? []
      : LIQUID_VARIABLES.filter((v) => v.startsWith(partial) && v !== partial).slice(0, 8);
  const open = options.length > 0;

  const refresh = (el: HTMLTextAreaElement | HTMLInputElement) => {
    setPartial(partialAt(el.value, el.selectionStart ?? el.value.length));
    setActive(0);
  };
  const accept = (choice: string) => {
    const el = ref.current;
    if (!el || partial === null) return;
    const caret = el.selectionStart ?? value.length;
    const start = caret - partial.length;
    const close = choice.endsWith('.') || value.slice(caret).trimStart().startsWith('}}') ? '' : ' }}';
    const next = value.slice(0, start) + choice + close + value.slice(caret);
    onChange(next);
    setPartial(null);
    const pos = start + choice.length + close.length;
    requestAnimationFrame(() => el.setSelectionRange(pos, pos));
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!open) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      accept(options[active]!);
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      setPartial(null);
    }
  };
  const common = {
    ...aria,
    id,
    ref,
    value,
    className: 'liquid',
    spellCheck: false,
    role: 'combobox',
    'aria-autocomplete': 'list' as const,
    'aria-expanded': open,
    'aria-controls': `${id}-vars`,
    'aria-activedescendant': open ? `${id}-var-${active}` : undefined,
    onKeyDown,
    onChange: (e: React.ChangeEvent<HTMLTextAreaElement | HTMLInputElement>) => {
      onChange(e.target.value);
      refresh(e.target);
    },
    onBlur: () => setTimeout(() => setPartial(null), 150),
  };
  return (
    <div className="liquid-wrap">
      {multiline ? <textarea rows={7} {...common} /> : <input {...common} />}
      {open && (
        <div className="liquid-menu" id={`${id}-vars`} role="listbox" aria-label="Variables">
          {options.map((o, i) => (
            <div
              key={o}
              tabIndex={-1}
              id={`${id}-var-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(o);
              }}
            >
              {o}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
