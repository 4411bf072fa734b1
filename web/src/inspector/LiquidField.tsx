import type { AvailableOutput } from '@hourglass/journey';
import { useMemo, useRef, useState } from 'react';
import {
  insertionFor,
  type LiquidVariable,
  liquidContextAt,
  liquidVariables,
  matchingVariables,
} from './liquid-variables';

type Props = {
  id: string;
  value: string;
  multiline: boolean;
  onChange: (v: string) => void;
  /** Outputs of earlier steps that reach this step, offered as `steps.<name>.<field>`. */
  outputs?: readonly AvailableOutput[] | undefined;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string | undefined;
};

/** A template input that autocompletes Liquid variables (↑/↓ to choose, Enter or Tab to insert). */
export function LiquidField({ id, value, multiline, onChange, outputs, ...aria }: Props) {
  const ref = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const [typing, setTyping] = useState<{ partial: string; output: boolean } | null>(null);
  const [active, setActive] = useState(0);
  const variables = useMemo(() => liquidVariables(outputs), [outputs]);
  const options = typing === null ? [] : matchingVariables(variables, typing.partial);
  const open = options.length > 0;

  const refresh = (el: HTMLTextAreaElement | HTMLInputElement) => {
    setTyping(liquidContextAt(el.value, el.selectionStart ?? el.value.length));
    setActive(0);
  };
  const accept = (choice: LiquidVariable) => {
    const el = ref.current;
    if (!el || typing === null) return;
    const caret = el.selectionStart ?? value.length;
    const start = caret - typing.partial.length;
    const text = insertionFor(choice, typing.output, value.slice(caret));
    onChange(value.slice(0, start) + text + value.slice(caret));
    setTyping(null);
    const pos = start + text.length;
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
      setTyping(null);
    }
  };
  const common = {
    ...aria,
    id,
    ref,
    value,
    className: 'liquid',
    spellCheck: false,
    // A textarea may not be a combobox (ARIA in HTML); it stays a textbox that controls the list.
    ...(multiline ? {} : { role: 'combobox', 'aria-expanded': open }),
    'aria-autocomplete': 'list' as const,
    // The list exists only while open; pointing at a missing element is invalid ARIA.
    'aria-controls': open ? `${id}-vars` : undefined,
    'aria-activedescendant': open ? `${id}-var-${active}` : undefined,
    onKeyDown,
    onChange: (e: React.ChangeEvent<HTMLTextAreaElement | HTMLInputElement>) => {
      onChange(e.target.value);
      refresh(e.target);
    },
    onBlur: () => setTimeout(() => setTyping(null), 150),
  };
  return (
    <div className="liquid-wrap">
      {multiline ? <textarea rows={7} {...common} /> : <input {...common} />}
      {open && (
        <div className="liquid-menu" id={`${id}-vars`} role="listbox" aria-label="Variables">
          {options.map((o, i) => (
            <div
              key={o.path}
              tabIndex={-1}
              id={`${id}-var-${i}`}
              role="option"
              aria-selected={i === active}
              className={`${i === active ? 'active' : ''}${o.mayBeMissing ? ' maybe' : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                accept(o);
              }}
            >
              {o.path}
              {o.note && <span className="liquid-note">{o.note}</span>}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
