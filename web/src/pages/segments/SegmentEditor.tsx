import type { Segment } from '@hourglass/contract';
import { Rule } from '@hourglass/journey';
import { ArrowLeft, Save, Trash2 } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useAccess } from '../../access';
import { ApiError } from '../../api/client';
import { useDeleteSegment, useSaveSegment, useSegment } from '../../api/segments';
import { navigate, useSearch } from '../../router';
import { SEGMENT_SCOPE } from '../../rules/fields';
import { ruleProblemsByPath } from '../../rules/model';
import { RuleEditor } from '../../rules/RuleEditor';
import { toast } from '../../ui/toast';
import { PreviewPanel } from './PreviewPanel';

const BLANK: Rule = { all: [] };

/** Loads the segment (or starts a new one) and shows the editor. */
export function SegmentEditorPage({ id }: { id: string | null }) {
  const segment = useSegment(id);
  if (id && segment.isLoading) return <div className="page-loading">Loading segment…</div>;
  if (id && (segment.error || !segment.data))
    return <div className="page-error">Could not load this segment: {segment.error?.message}</div>;
  return <SegmentEditor key={id ?? 'new'} segment={segment.data ?? null} />;
}

/** Which input a server error is about (`body.name` → `name`). */
const fieldOf = (e: Error | null) =>
  e instanceof ApiError ? (e.body.field ?? '').replace(/^body\.?/, '').split('.')[0] : undefined;

/**
 * Where the editor goes when done: back to the journey that asked for a new segment (`?returnTo=`, a
 * journey path only, so a crafted link cannot send anyone elsewhere), else the segment list.
 */
function useDoneHref(): string {
  const back = new URLSearchParams(useSearch()).get('returnTo') ?? '';
  return /^\/journeys\/[\w-]+(\?node=[\w%.~!*'()-]+)?$/.test(back) ? back : '/segments';
}

function SegmentEditor({ segment }: { segment: Segment | null }) {
  const done = useDoneHref();
  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const [rule, setRule] = useState<Rule>(segment?.rule ?? BLANK);
  const [tried, setTried] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const save = useSaveSegment(segment?.id ?? null);
  const remove = useDeleteSegment();
  const denied = useAccess().reason('write');

  const problems = useMemo(() => ruleProblemsByPath(rule, SEGMENT_SCOPE), [rule]);
  // Only a rule the schema accepts and without open problems is sent for a preview.
  const ready = problems.length === 0 && Rule.safeParse(rule).success ? rule : null;
  const nameError = tried && !name.trim() ? 'Give the segment a name' : null;
  const serverField = fieldOf(save.error);
  const serverNameError = serverField === 'name' ? save.error?.message : null;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!name.trim() || problems.length > 0) return;
    save.mutate(
      { name: name.trim(), description, rule },
      {
        onSuccess: (s) => {
          toast(
            segment
              ? `Saved “${s.name}”`
              : done === '/segments'
                ? `Created “${s.name}”`
                : `Created “${s.name}”: choose it in the step`,
          );
          navigate(done);
        },
      },
    );
  };

  return (
    <form
      className="list-page segment-editor"
      aria-label="Segment"
      onSubmit={submit}
      noValidate
      onKeyDown={(e) => {
        // Enter in a condition's value confirms the value; it must not save and leave the page.
        const t = e.target as HTMLElement;
        if (e.key === 'Enter' && t.tagName === 'INPUT' && t.closest('.rule-group')) e.preventDefault();
      }}
    >
      <header className="page-header">
        <div className="row">
          <button
            type="button"
            className="icon-btn"
            aria-label={done === '/segments' ? 'Back to segments' : 'Back to the journey'}
            onClick={() => navigate(done)}
          >
            <ArrowLeft size={18} />
          </button>
          <h1>{segment ? `Edit “${segment.name}”` : 'New segment'}</h1>
        </div>
        <div className="row">
          {segment &&
            !denied &&
            (confirming ? (
              <>
                <span className="small">Delete this segment?</span>
                <button
                  type="button"
                  className="btn danger"
                  disabled={remove.isPending}
                  onClick={() =>
                    remove.mutate(segment.id, {
                      onSuccess: () => {
                        toast(`Deleted “${segment.name}”`);
                        navigate('/segments');
                      },
                    })
                  }
                >
                  Yes, delete
                </button>
                <button type="button" className="btn" onClick={() => setConfirming(false)}>
                  Keep it
                </button>
              </>
            ) : (
              <button type="button" className="btn danger" onClick={() => setConfirming(true)}>
                <Trash2 size={15} /> Delete
              </button>
            ))}
          <button
            type="submit"
            className="btn primary"
            disabled={save.isPending || !!denied}
            title={denied ?? undefined}
          >
            <Save size={15} /> {save.isPending ? 'Saving…' : 'Save segment'}
          </button>
        </div>
      </header>
      {remove.error && (
        <p className="field-error" role="alert">
          Could not delete: {remove.error.message}
        </p>
      )}
      <div className="segment-layout">
        <div className="segment-main">
          <div className={`field${nameError || serverNameError ? ' invalid' : ''}`}>
            <label htmlFor="segment-name">Name</label>
            <input
              id="segment-name"
              className="wide-input"
              value={name}
              maxLength={200}
              aria-invalid={!!(nameError || serverNameError)}
              aria-describedby={nameError || serverNameError ? 'segment-name-error' : undefined}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. Loyal, AOV over $300"
            />
            {(nameError || serverNameError) && (
              <p className="field-error" id="segment-name-error">
                {nameError ?? serverNameError}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor="segment-description">Description</label>
            <textarea
              id="segment-description"
              className="wide-input"
              rows={2}
              maxLength={2000}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          </div>
          <RuleEditor
            id="rule"
            rule={rule}
            scope={SEGMENT_SCOPE}
            who="Customers"
            selfId={segment?.id}
            onChange={(r) => setRule(r ?? BLANK)}
          />
          {tried && problems.length > 0 && (
            <p className="field-error" role="alert">
              {problems.length === 1
                ? `Condition ${human(problems[0]!.path)}: ${problems[0]!.message}`
                : `${problems.length} conditions need attention (marked in red).`}
            </p>
          )}
          {save.error && serverField !== 'name' && (
            <p className="field-error" role="alert">
              Could not save: {save.error.message}
              {save.error instanceof ApiError && save.error.body.field ? ` (${save.error.body.field})` : ''}
            </p>
          )}
        </div>
        <PreviewPanel rule={ready} />
      </div>
    </form>
  );
}

const human = (path: string) =>
  path
    .split('.')
    .map((i) => Number(i) + 1)
    .join('.');
