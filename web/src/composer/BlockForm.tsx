import type { AvailableOutput } from '@hourglass/journey';
import type { EmailBlock, SimpleBlock } from '@hourglass/nodes';
import { Fragment } from 'react';
import { fieldId } from '../inspector/form-context';
import { LiquidField } from '../inspector/LiquidField';

/** What every block form needs: where it sits, the step's problems and the outputs that reach it. */
export interface BlockFormProps {
  nodeId: string;
  path: string[];
  errors: Record<string, string>;
  outputs: readonly AvailableOutput[];
}

type Change<B> = (block: B) => void;

/** Label, control and the problem the compiler found in this field. */
function Field({
  props,
  name,
  label,
  children,
}: {
  props: BlockFormProps;
  name: string;
  label: string;
  children: (a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => React.ReactNode;
}) {
  const id = fieldId(props.nodeId, [...props.path, name]);
  const error = props.errors[[...props.path, name].join('.')];
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': !!error, ...(error ? { 'aria-describedby': `${id}-error` } : {}) })}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A Liquid text input with the inspector's autocomplete. */
function Liquid({
  props,
  name,
  label,
  value,
  multiline = false,
  onChange,
}: {
  props: BlockFormProps;
  name: string;
  label: string;
  value: string;
  multiline?: boolean;
  onChange: (v: string) => void;
}) {
  return (
    <Field props={props} name={name} label={label}>
      {(a11y) => (
        <LiquidField
          {...a11y}
          value={value}
          multiline={multiline}
          onChange={onChange}
          outputs={props.outputs}
        />
      )}
    </Field>
  );
}

function Align({
  props,
  value,
  onChange,
}: {
  props: BlockFormProps;
  value: 'left' | 'center';
  onChange: (v: 'left' | 'center') => void;
}) {
  return (
    <Field props={props} name="align" label="Alignment">
      {(a11y) => (
        <select {...a11y} value={value} onChange={(e) => onChange(e.target.value as 'left' | 'center')}>
          <option value="left">Left</option>
          <option value="center">Centre</option>
        </select>
      )}
    </Field>
  );
}

/** The fields of a block a column may hold too. */
export function SimpleBlockForm({
  block: b,
  onChange,
  ...props
}: BlockFormProps & { block: SimpleBlock; onChange: Change<SimpleBlock> }) {
  switch (b.type) {
    case 'heading':
    case 'text':
      return (
        <>
          <Liquid
            props={props}
            name="text"
            label={b.type === 'heading' ? 'Heading' : 'Text'}
            value={b.text}
            multiline={b.type === 'text'}
            onChange={(text) => onChange({ ...b, text })}
          />
          <Align props={props} value={b.align} onChange={(align) => onChange({ ...b, align })} />
        </>
      );
    case 'image':
      return (
        <>
          <Liquid
            props={props}
            name="src"
            label="Image URL (https)"
            value={b.src}
            onChange={(src) => onChange({ ...b, src })}
          />
          <Liquid
            props={props}
            name="alt"
            label="Alternative text"
            value={b.alt}
            onChange={(alt) => onChange({ ...b, alt })}
          />
          <Liquid
            props={props}
            name="href"
            label="Link (optional)"
            value={b.href}
            onChange={(href) => onChange({ ...b, href })}
          />
        </>
      );
    case 'button':
      return (
        <>
          <Liquid
            props={props}
            name="label"
            label="Label"
            value={b.label}
            onChange={(label) => onChange({ ...b, label })}
          />
          <Liquid
            props={props}
            name="href"
            label="Link"
            value={b.href}
            onChange={(href) => onChange({ ...b, href })}
          />
          <Align props={props} value={b.align} onChange={(align) => onChange({ ...b, align })} />
        </>
      );
    case 'spacer':
      return (
        <Field props={props} name="height" label="Height (px)">
          {(a11y) => (
            <input
              {...a11y}
              type="number"
              min={4}
              max={120}
              value={b.height}
              onChange={(e) =>
                onChange({ ...b, height: Math.min(120, Math.max(4, Number(e.target.value) || 4)) })
              }
            />
          )}
        </Field>
      );
    case 'divider':
      return <p className="muted small">A thin line between blocks.</p>;
  }
}

/** Edits one column of a two-column block: the block list, handed in to keep the modules acyclic. */
export type ColumnEditor = (
  props: BlockFormProps & {
    title: string;
    blocks: readonly SimpleBlock[];
    onChange: (list: SimpleBlock[]) => void;
  },
) => React.ReactNode;

/** The fields of any block; two columns hold a list of simple blocks each. */
export function BlockForm({
  block: b,
  onChange,
  column,
  ...props
}: BlockFormProps & { block: EmailBlock; onChange: Change<EmailBlock>; column: ColumnEditor }) {
  switch (b.type) {
    case 'order_items':
      return (
        <>
          <Liquid
            props={props}
            name="title"
            label="Title"
            value={b.title}
            onChange={(title) => onChange({ ...b, title })}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={b.showImages}
              onChange={(e) => onChange({ ...b, showImages: e.target.checked })}
            />
            Show product pictures
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={b.showPrices}
              onChange={(e) => onChange({ ...b, showPrices: e.target.checked })}
            />
            Show prices
          </label>
          <p className="muted small">Lists the order's line items (name, quantity, price).</p>
        </>
      );
    case 'products': {
      const lists = productSteps(props.outputs);
      return (
        <>
          <Liquid
            props={props}
            name="title"
            label="Title"
            value={b.title}
            onChange={(title) => onChange({ ...b, title })}
          />
          <Field props={props} name="step" label="Products from step">
            {(a11y) => (
              <select {...a11y} value={b.step} onChange={(e) => onChange({ ...b, step: e.target.value })}>
                <option value="">Choose a step…</option>
                {[...new Set([...lists, ...(b.step ? [b.step] : [])])].map((s) => (
                  <option key={s} value={s}>
                    steps.{s}.products
                  </option>
                ))}
              </select>
            )}
          </Field>
          {lists.length === 0 && (
            <p className="muted small">
              Add a Recommend products step before this email to list its products.
            </p>
          )}
          <Field props={props} name="limit" label="At most">
            {(a11y) => (
              <input
                {...a11y}
                type="number"
                min={1}
                max={12}
                value={b.limit}
                onChange={(e) =>
                  onChange({ ...b, limit: Math.min(12, Math.max(1, Number(e.target.value) || 1)) })
                }
              />
            )}
          </Field>
        </>
      );
    }
    case 'footer':
      return (
        <>
          <Liquid
            props={props}
            name="text"
            label="Footer text"
            value={b.text}
            multiline
            onChange={(text) => onChange({ ...b, text })}
          />
          <p className="muted small">
            The brand's address (Settings › Brand) and, on marketing email, the unsubscribe link follow.
          </p>
        </>
      );
    case 'columns':
      return (
        <div className="composer-columns">
          {(['left', 'right'] as const).map((side) => (
            <Fragment key={side}>
              {column({
                ...props,
                path: [...props.path, side],
                title: side === 'left' ? 'Left column' : 'Right column',
                blocks: b[side],
                onChange: (list) => onChange({ ...b, [side]: list }),
              })}
            </Fragment>
          ))}
        </div>
      );
    default:
      return <SimpleBlockForm {...props} block={b} onChange={onChange} />;
  }
}

/** Steps reaching this email whose output has a product list. */
export const productSteps = (outputs: readonly AvailableOutput[]) =>
  outputs.filter((o) => o.fields.some((f) => f.key === 'products')).map((o) => o.name);
