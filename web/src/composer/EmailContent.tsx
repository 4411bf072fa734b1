import type { Diagnostic, OutputScope } from '@hourglass/journey';
import type { EmailBlock } from '@hourglass/nodes';
import { LayoutTemplate } from 'lucide-react';
import { lazy, Suspense, useRef, useState } from 'react';
import { useEditorApi } from '../canvas/store';
import { starterBlocks } from './blocks';
import './email-content.css';

// The composer loads on first use only: most visits to the editor never open it.
const Composer = lazy(() => import('./Composer'));

/**
 * In the send-email inspector: blocks or raw HTML, and the composer for blocks. Raw HTML is the
 * Liquid body field of the generated form (shown only in that mode).
 */
export function EmailContent({
  nodeId,
  stepLabel,
  config,
  diagnostics,
  outputs,
}: {
  nodeId: string;
  stepLabel: string;
  config: Record<string, unknown>;
  diagnostics: readonly Diagnostic[];
  outputs: OutputScope;
}) {
  const store = useEditorApi();
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const mode = config.mode === 'blocks' ? 'blocks' : 'html';
  const blocks = (Array.isArray(config.blocks) ? config.blocks : []) as EmailBlock[];
  const save = (next: Record<string, unknown>, key: string) =>
    store.getState().updateConfig(nodeId, next, key);
  const setMode = (m: 'blocks' | 'html') =>
    save(
      { ...config, mode: m, ...(m === 'blocks' && blocks.length === 0 ? { blocks: starterBlocks() } : {}) },
      'mode',
    );
  const errors: Record<string, string> = {};
  for (const d of diagnostics) if (d.field?.startsWith('blocks')) errors[d.field] ??= d.message;
  const problems = Object.keys(errors).length;

  return (
    <section className="email-content" aria-label="Email content">
      <fieldset className="segmented">
        <legend>Email content</legend>
        <label className="check">
          <input
            type="radio"
            name={`mode-${nodeId}`}
            checked={mode === 'blocks'}
            onChange={() => setMode('blocks')}
          />
          Blocks
        </label>
        <label className="check">
          <input
            type="radio"
            name={`mode-${nodeId}`}
            checked={mode === 'html'}
            onChange={() => setMode('html')}
          />
          Raw HTML
        </label>
      </fieldset>
      {mode === 'blocks' && (
        <>
          <p className="muted small">
            {blocks.length} {blocks.length === 1 ? 'block' : 'blocks'}
            {problems > 0 && <span className="field-error"> · {problems} to fix</span>}
          </p>
          <button ref={opener} type="button" className="btn small" onClick={() => setOpen(true)}>
            <LayoutTemplate size={14} aria-hidden /> Open composer
          </button>
        </>
      )}
      {open && (
        <Suspense fallback={<p className="muted small">Loading the composer…</p>}>
          <Composer
            nodeId={nodeId}
            stepLabel={stepLabel}
            config={config}
            errors={errors}
            outputs={outputs.outputs}
            onChange={(next) => save({ ...config, blocks: next }, 'blocks')}
            onClose={() => {
              setOpen(false);
              requestAnimationFrame(() => opener.current?.focus());
            }}
          />
        </Suspense>
      )}
    </section>
  );
}
