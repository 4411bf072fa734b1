import type { TimelineEntry } from '@hourglass/contract';
import { useState } from 'react';

/** Longest value shown inline; the full output is one click away as JSON. */
const MAX_INLINE = 80;

/** A value as one short line: strings as they are, anything else as JSON, cut at `max` characters. */
export function inlineValue(v: unknown, max = MAX_INLINE): { text: string; cut: boolean } {
  const full = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  return full.length > max ? { text: `${full.slice(0, max - 1)}…`, cut: true } : { text: full, cut: false };
}

/** What an action step produced, as later steps read it (`steps.<name>.<field>`): key: value lines. */
export function StepOutput({ output }: { output: TimelineEntry['output'] }) {
  const [open, setOpen] = useState(false);
  if (!output) return null;
  const entries = Object.entries(output.values);
  const lines = entries.map(([k, v]) => ({ key: k, ...inlineValue(v) }));
  const anyCut = lines.some((l) => l.cut) || entries.some(([, v]) => v !== null && typeof v === 'object');
  const prefix = output.name ? `steps.${output.name}` : 'Output';
  return (
    <div className="tl-output" data-testid="step-output">
      <div className="row">
        <span className="small">
          Output <code>{prefix}</code>
        </span>
        {anyCut && (
          <button type="button" className="btn small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide JSON' : 'Show JSON'}
          </button>
        )}
      </div>
      {entries.length === 0 ? (
        <p className="muted small">(no fields)</p>
      ) : (
        <dl className="tl-output-values" aria-label={`Output of ${prefix}`}>
          {lines.map((l) => (
            <div key={l.key}>
              <dt>{l.key}</dt>
              <dd>{l.text}</dd>
            </div>
          ))}
        </dl>
      )}
      {open && <pre className="tl-output-json">{JSON.stringify(output.values, null, 2)}</pre>}
    </div>
  );
}
