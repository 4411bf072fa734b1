import { Check, Copy } from 'lucide-react';
import { useState } from 'react';

/** Copies a value shown once (a new key, an invitation link) and says so. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  return (
    <button
      type="button"
      className="btn small"
      onClick={() =>
        navigator.clipboard.writeText(text).then(
          () => setCopied('yes'),
          () => setCopied('failed'),
        )
      }
    >
      {copied === 'yes' ? <Check size={14} /> : <Copy size={14} />}
      {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed: select it instead' : label}
    </button>
  );
}
