import type { EmailBlock, EmailBlockType, SimpleBlock } from '@hourglass/nodes';
import { ArrowDown, ArrowUp, Plus, Trash2 } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { BlockForm, type BlockFormProps, type ColumnEditor, productSteps } from './BlockForm';
import { BLOCK_KINDS, labelOf, moved, newBlock, SIMPLE_KINDS, summaryOf } from './blocks';

type Focus = { index: number; what: 'up' | 'down' | 'remove' | 'block' } | { index: -1; what: 'add' };

/**
 * Blocks top to bottom, each with its form and Move up / Move down / Remove buttons, and an "Add
 * block" picker. Focus follows the block that moved (or the next one after a removal), so the list
 * can be rearranged from the keyboard alone.
 */
export function BlockList({
  title,
  blocks,
  simple = false,
  onChange,
  ...props
}: BlockFormProps & {
  title: string;
  blocks: readonly EmailBlock[];
  simple?: boolean;
  onChange: (blocks: EmailBlock[]) => void;
}) {
  const kinds = simple ? SIMPLE_KINDS : BLOCK_KINDS;
  const [adding, setAdding] = useState<EmailBlockType>(kinds[0]!.type);
  const focus = useRef<Focus | null>(null);
  const base = `cb-${props.nodeId}-${props.path.join('-')}`;
  const idOf = (index: number, what: string) => `${base}-${index}-${what}`;

  useEffect(() => {
    const f = focus.current;
    if (!f) return;
    focus.current = null;
    const el = document.getElementById(f.what === 'add' ? `${base}-add` : idOf(f.index, f.what));
    // At an end the arrow just used is disabled: the other one keeps focus on the same block.
    const usable =
      el instanceof HTMLButtonElement && el.disabled
        ? document.getElementById(idOf(f.index, f.what === 'up' ? 'down' : 'up'))
        : el;
    usable?.focus();
  });

  const move = (i: number, by: -1 | 1) => {
    focus.current = { index: i + by, what: by < 0 ? 'up' : 'down' };
    onChange(moved(blocks, i, by));
  };
  const remove = (i: number) => {
    const rest = blocks.filter((_, j) => j !== i);
    focus.current = rest.length
      ? { index: Math.min(i, rest.length - 1), what: 'remove' }
      : { index: -1, what: 'add' };
    onChange(rest);
  };
  const add = () => {
    // New blocks go above a closing footer, where they belong.
    const at = blocks.at(-1)?.type === 'footer' && adding !== 'footer' ? blocks.length - 1 : blocks.length;
    focus.current = { index: at, what: 'block' };
    const block = newBlock(adding, productSteps(props.outputs)[0] ?? '');
    onChange([...blocks.slice(0, at), block, ...blocks.slice(at)]);
  };
  const blocksError = props.errors[props.path.join('.')];

  return (
    <section className="composer-list" aria-label={title}>
      <h3>{title}</h3>
      {blocksError && <p className="field-error">{blocksError}</p>}
      {blocks.length === 0 && <p className="muted small">No blocks yet.</p>}
      <ol>
        {blocks.map((b, i) => {
          const name = `${labelOf(b.type)} ${i + 1}`;
          return (
            <li key={b.id || `i${i}`} className="composer-block">
              <fieldset id={idOf(i, 'block')} tabIndex={-1} aria-label={`${name} of ${blocks.length}`}>
                <div className="composer-block-head">
                  <span>
                    <strong>{name}</strong> <span className="muted small">{summaryOf(b)}</span>
                  </span>
                  <span className="composer-block-actions">
                    <button
                      type="button"
                      id={idOf(i, 'up')}
                      className="icon-btn"
                      disabled={i === 0}
                      aria-label={`Move ${name} up`}
                      onClick={() => move(i, -1)}
                    >
                      <ArrowUp size={14} aria-hidden />
                    </button>
                    <button
                      type="button"
                      id={idOf(i, 'down')}
                      className="icon-btn"
                      disabled={i === blocks.length - 1}
                      aria-label={`Move ${name} down`}
                      onClick={() => move(i, 1)}
                    >
                      <ArrowDown size={14} aria-hidden />
                    </button>
                    <button
                      type="button"
                      id={idOf(i, 'remove')}
                      className="icon-btn"
                      aria-label={`Remove ${name}`}
                      onClick={() => remove(i)}
                    >
                      <Trash2 size={14} aria-hidden />
                    </button>
                  </span>
                </div>
                <BlockForm
                  {...props}
                  path={[...props.path, String(i)]}
                  block={b}
                  onChange={(next) => onChange(blocks.map((x, j) => (j === i ? next : x)))}
                  column={columnList}
                />
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="composer-add">
        <label htmlFor={`${base}-add`} className="sr-only">
          Block to add to {title.toLowerCase()}
        </label>
        <select
          id={`${base}-add`}
          value={adding}
          onChange={(e) => setAdding(e.target.value as EmailBlockType)}
        >
          {kinds.map((k) => (
            <option key={k.type} value={k.type}>
              {k.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn small"
          aria-label={`Add block to ${title.toLowerCase()}`}
          onClick={add}
        >
          <Plus size={14} aria-hidden /> Add block
        </button>
      </div>
    </section>
  );
}

/** A column of a two-column block: a list of simple blocks. */
const columnList: ColumnEditor = ({ onChange, ...props }) => (
  <BlockList {...props} simple onChange={(list) => onChange(list as SimpleBlock[])} />
);
