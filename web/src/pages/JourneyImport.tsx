import { Download, Upload } from 'lucide-react';
import { useId, useRef, useState } from 'react';
import { downloadJourney, importErrorText, useImportJourney } from '../api/journey-io';
import { navigate } from '../router';
import { toast } from '../ui/toast';

/** "Import" on the journeys list: pick a `.journey.json` file, get a new draft with its graph. */
export function ImportJourneyButton() {
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const importJourney = useImportJourney();
  return (
    <div className="import-journey">
      <input
        ref={input}
        id={id}
        type="file"
        accept=".json,application/json"
        className="sr-only"
        aria-label="Journey file to import"
        tabIndex={-1}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = ''; // picking the same file again must fire a change
          if (!file) return;
          importJourney.mutate(file, {
            onSuccess: (j) => {
              toast(`Imported “${j.name}” as a draft`);
              navigate(`/journeys/${j.id}`);
            },
          });
        }}
      />
      <button
        type="button"
        className="btn"
        disabled={importJourney.isPending}
        onClick={() => input.current?.click()}
      >
        <Upload size={16} /> {importJourney.isPending ? 'Importing…' : 'Import'}
      </button>
      {importJourney.error && (
        <p className="field-error" role="alert">
          Could not import: {importErrorText(importJourney.error)}
        </p>
      )}
    </div>
  );
}

/** Downloads one journey's draft as a file (journeys list row, editor toolbar). */
export function ExportJourneyButton({
  journeyId,
  name,
  before,
  compact,
}: {
  journeyId: string;
  name: string;
  /** Runs first (the editor saves pending edits so the file matches the canvas). */
  before?: () => Promise<void>;
  compact?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className={compact ? 'btn small' : 'btn'}
      aria-label={`Export ${name}`}
      title="Download as a journey file (JSON)"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await before?.();
          await downloadJourney(journeyId, name);
        } catch (e) {
          toast(`Could not export: ${e instanceof Error ? e.message : String(e)}`);
        } finally {
          setBusy(false);
        }
      }}
    >
      <Download size={compact ? 14 : 15} /> Export
    </button>
  );
}
