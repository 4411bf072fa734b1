import { Plus } from 'lucide-react';
import { useAccess } from '../access';
import { useSegments } from '../api/queries';
import { navigate, usePath } from '../router';
import { describeRule } from '../rules/model';
import { ListPage } from './ListPage';
import { SegmentEditorPage } from './segments/SegmentEditor';
import '../styles/segments.css';

/** Segments: the list at `/segments`, the editor at `/segments/new` and `/segments/:id`. */
export function SegmentsPage() {
  const path = usePath();
  const m = /^\/segments\/([^/]+)$/.exec(path);
  if (m?.[1]) return <SegmentEditorPage id={m[1] === 'new' ? null : m[1]} />;
  return <SegmentList />;
}

function SegmentList() {
  const segments = useSegments();
  const denied = useAccess().reason('write');
  const nameOf = (id: string) => segments.data?.find((s) => s.id === id)?.name ?? 'unknown segment';
  return (
    <ListPage
      title="Segments"
      actions={
        <button
          type="button"
          className="btn primary"
          disabled={!!denied}
          title={denied ?? undefined}
          onClick={() => navigate('/segments/new')}
        >
          <Plus size={16} /> New segment
        </button>
      }
      query={segments}
      empty="No segments yet. Create one to branch journeys by audience."
      rowKey={(s) => s.id}
      columns={[
        {
          label: 'Name',
          render: (s) => (
            <a
              href={`/segments/${s.id}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/segments/${s.id}`);
              }}
            >
              {s.name}
            </a>
          ),
        },
        { label: 'Description', render: (s) => s.description || '—' },
        { label: 'Who', render: (s) => <span className="small">{describeRule(s.rule, nameOf)}</span> },
        { label: 'Updated', render: (s) => s.updatedAt.toLocaleDateString() },
      ]}
    />
  );
}
