import type { AvailableOutput } from '@hourglass/journey';
import type { EmailBlock } from '@hourglass/nodes';
import { X } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { BlockList } from './BlockList';
import { ComposerPreview } from './ComposerPreview';
import './composer.css';

/**
 * The block email composer: the blocks with their forms on the left, the server's rendering for a
 * real customer on the right. A modal dialog over the editor (Escape closes it); every edit goes
 * straight to the step's config, like the inspector's.
 */
export function Composer({
  nodeId,
  stepLabel,
  config,
  errors,
  outputs,
  onChange,
  onClose,
}: {
  nodeId: string;
  stepLabel: string;
  config: Record<string, unknown>;
  errors: Record<string, string>;
  outputs: readonly AvailableOutput[];
  onChange: (blocks: EmailBlock[]) => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  const blocks = (Array.isArray(config.blocks) ? config.blocks : []) as EmailBlock[];
  return (
    <dialog
      ref={ref}
      className="composer"
      aria-labelledby="composer-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <header className="composer-head">
        <h2 id="composer-title">Email composer · {stepLabel}</h2>
        <p className="muted small">
          Liquid works in every field (type <code>{'{{'}</code> for variables). Brand colour and logo come
          from Settings › Brand.
        </p>
        <button type="button" className="btn small" onClick={onClose}>
          <X size={14} aria-hidden /> Done
        </button>
      </header>
      <div className="composer-body">
        <div className="composer-blocks">
          <BlockList
            nodeId={nodeId}
            path={['blocks']}
            title="Email blocks"
            blocks={blocks}
            errors={errors}
            outputs={outputs}
            onChange={onChange}
          />
        </div>
        <ComposerPreview config={config} outputs={outputs} />
      </div>
    </dialog>
  );
}

export default Composer;
